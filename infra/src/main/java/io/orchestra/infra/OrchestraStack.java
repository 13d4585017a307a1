package io.orchestra.infra;

import com.pulumi.Context;
import com.pulumi.core.Output;
import com.pulumi.gcp.artifactregistry.Repository;
import com.pulumi.gcp.artifactregistry.RepositoryArgs;
import com.pulumi.gcp.artifactregistry.RepositoryIamMember;
import com.pulumi.gcp.artifactregistry.RepositoryIamMemberArgs;
import com.pulumi.gcp.cloudrunv2.Service;
import com.pulumi.gcp.cloudrunv2.ServiceArgs;
import com.pulumi.gcp.cloudrunv2.ServiceIamMember;
import com.pulumi.gcp.cloudrunv2.ServiceIamMemberArgs;
import com.pulumi.gcp.cloudrunv2.inputs.ServiceTemplateArgs;
import com.pulumi.gcp.cloudrunv2.inputs.ServiceTemplateContainerArgs;
import com.pulumi.gcp.cloudrunv2.inputs.ServiceTemplateContainerEnvArgs;
import com.pulumi.gcp.cloudrunv2.inputs.ServiceTemplateContainerEnvValueSourceArgs;
import com.pulumi.gcp.cloudrunv2.inputs.ServiceTemplateContainerEnvValueSourceSecretKeyRefArgs;
import com.pulumi.gcp.cloudrunv2.inputs.ServiceTemplateContainerLivenessProbeArgs;
import com.pulumi.gcp.cloudrunv2.inputs.ServiceTemplateContainerLivenessProbeHttpGetArgs;
import com.pulumi.gcp.cloudrunv2.inputs.ServiceTemplateContainerPortArgs;
import com.pulumi.gcp.cloudrunv2.inputs.ServiceTemplateContainerResourcesArgs;
import com.pulumi.gcp.cloudrunv2.inputs.ServiceTemplateContainerStartupProbeArgs;
import com.pulumi.gcp.cloudrunv2.inputs.ServiceTemplateContainerStartupProbeHttpGetArgs;
import com.pulumi.gcp.cloudrunv2.inputs.ServiceTemplateScalingArgs;
import com.pulumi.gcp.cloudrunv2.inputs.ServiceTemplateVpcAccessArgs;
import com.pulumi.gcp.cloudrunv2.inputs.ServiceTemplateVpcAccessNetworkInterfaceArgs;
import com.pulumi.gcp.compute.GlobalAddress;
import com.pulumi.gcp.compute.GlobalAddressArgs;
import com.pulumi.gcp.compute.Network;
import com.pulumi.gcp.compute.NetworkArgs;
import com.pulumi.gcp.compute.Subnetwork;
import com.pulumi.gcp.compute.SubnetworkArgs;
import com.pulumi.gcp.iam.WorkloadIdentityPool;
import com.pulumi.gcp.iam.WorkloadIdentityPoolArgs;
import com.pulumi.gcp.iam.WorkloadIdentityPoolProvider;
import com.pulumi.gcp.iam.WorkloadIdentityPoolProviderArgs;
import com.pulumi.gcp.iam.inputs.WorkloadIdentityPoolProviderOidcArgs;
import com.pulumi.gcp.monitoring.AlertPolicy;
import com.pulumi.gcp.monitoring.AlertPolicyArgs;
import com.pulumi.gcp.monitoring.NotificationChannel;
import com.pulumi.gcp.monitoring.NotificationChannelArgs;
import com.pulumi.gcp.monitoring.UptimeCheckConfig;
import com.pulumi.gcp.monitoring.UptimeCheckConfigArgs;
import com.pulumi.gcp.monitoring.inputs.AlertPolicyConditionArgs;
import com.pulumi.gcp.monitoring.inputs.AlertPolicyConditionConditionThresholdAggregationArgs;
import com.pulumi.gcp.monitoring.inputs.AlertPolicyConditionConditionThresholdArgs;
import com.pulumi.gcp.monitoring.inputs.AlertPolicyConditionConditionThresholdDenominatorAggregationArgs;
import com.pulumi.gcp.monitoring.inputs.AlertPolicyDocumentationArgs;
import com.pulumi.gcp.monitoring.inputs.UptimeCheckConfigHttpCheckArgs;
import com.pulumi.gcp.monitoring.inputs.UptimeCheckConfigMonitoredResourceArgs;
import com.pulumi.gcp.redis.Instance;
import com.pulumi.gcp.redis.InstanceArgs;
import com.pulumi.gcp.secretmanager.Secret;
import com.pulumi.gcp.secretmanager.SecretArgs;
import com.pulumi.gcp.secretmanager.SecretIamMember;
import com.pulumi.gcp.secretmanager.SecretIamMemberArgs;
import com.pulumi.gcp.secretmanager.SecretVersion;
import com.pulumi.gcp.secretmanager.SecretVersionArgs;
import com.pulumi.gcp.secretmanager.inputs.SecretReplicationArgs;
import com.pulumi.gcp.secretmanager.inputs.SecretReplicationAutoArgs;
import com.pulumi.gcp.serviceaccount.Account;
import com.pulumi.gcp.serviceaccount.AccountArgs;
import com.pulumi.gcp.serviceaccount.IAMMember;
import com.pulumi.gcp.serviceaccount.IAMMemberArgs;
import com.pulumi.gcp.servicenetworking.Connection;
import com.pulumi.gcp.servicenetworking.ConnectionArgs;
import com.pulumi.gcp.sql.Database;
import com.pulumi.gcp.sql.DatabaseArgs;
import com.pulumi.gcp.sql.DatabaseInstance;
import com.pulumi.gcp.sql.DatabaseInstanceArgs;
import com.pulumi.gcp.sql.User;
import com.pulumi.gcp.sql.UserArgs;
import com.pulumi.gcp.sql.inputs.DatabaseInstanceSettingsArgs;
import com.pulumi.gcp.sql.inputs.DatabaseInstanceSettingsBackupConfigurationArgs;
import com.pulumi.gcp.sql.inputs.DatabaseInstanceSettingsIpConfigurationArgs;
import com.pulumi.gcp.storage.Bucket;
import com.pulumi.gcp.storage.BucketArgs;
import com.pulumi.gcp.storage.inputs.BucketVersioningArgs;
import com.pulumi.resources.CustomResourceOptions;
import com.pulumi.resources.Resource;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The program of every stack: Orchestra on Google Cloud for one environment. What differs between environments
 * comes from deploy/versions.properties and deploy/cloudrun/service-&lt;env&gt;.yaml; what differs between projects
 * comes from the stack's configuration ({@link StackConfig}).
 */
final class OrchestraStack {
    static final String DB_URL = "ORCHESTRA_DB_URL";
    static final String REDIS_URL = "ORCHESTRA_REDIS_URL";
    static final String ADMIN_KEY = "ORCHESTRA_ADMIN_KEY";
    static final String GPU_INSTANCE_TYPE = "ORCHESTRA_GPU_INSTANCE_TYPE";
    static final String DATABASE = "orchestra";
    static final String DATABASE_USER = "orchestra";
    static final String GITHUB_ISSUER = "https://token.actions.githubusercontent.com";
    /** The subnetwork Cloud Run's direct VPC egress takes addresses from (a /26 at least). */
    static final String SUBNET_RANGE = "10.8.0.0/24";

    /** The APIs the resources below need, enabled by the stack itself on a fresh project. */
    static final List<String> APIS = List.of(
            "artifactregistry.googleapis.com",
            "compute.googleapis.com",
            "iam.googleapis.com",
            "iamcredentials.googleapis.com",
            "monitoring.googleapis.com",
            "redis.googleapis.com",
            "run.googleapis.com",
            "secretmanager.googleapis.com",
            "servicenetworking.googleapis.com",
            "sqladmin.googleapis.com",
            "sts.googleapis.com");

    private final Context ctx;
    private final Environment env;
    private final StackConfig config;
    private final CloudRunSpec spec;
    private final AlertRules alerts;
    private final String source;
    private final List<Resource> apis = new ArrayList<>();

    private OrchestraStack(
            Context ctx, Environment env, StackConfig config, CloudRunSpec spec, AlertRules alerts, String source) {
        this.ctx = ctx;
        this.env = env;
        this.config = config;
        this.spec = spec;
        this.alerts = alerts;
        this.source = source;
    }

    /** The entry point of `pulumi up`: the deploy files are those of the checkout it runs in. */
    static void define(Context ctx) {
        define(ctx, DeployFiles.find(Path.of("")));
    }

    static void define(Context ctx, DeployFiles files) {
        Environment env = Environment.forStack(files.pins(), ctx.stackName());
        StackConfig config = StackConfig.read(ctx);
        Path serviceFile = files.cloudRunService(env.name());
        String source = files.relative(serviceFile);
        CloudRunSpec spec = CloudRunSpec.read(serviceFile);
        check(
                config.environment().equals(env.name()),
                "stack " + ctx.stackName() + " is environment " + env.name() + " (" + env.name() + ".stack in "
                        + DeployFiles.PINS + "), but its config says environment " + config.environment());
        check(
                config.region().equals(env.region()),
                "gcp:region is " + config.region() + ", but " + DeployFiles.PINS + " pins gcp.region=" + env.region());
        check(
                spec.name().equals(env.service()),
                source + " names service " + spec.name() + ", but " + DeployFiles.PINS + " pins " + env.name()
                        + ".service=" + env.service());
        new OrchestraStack(ctx, env, config, spec, AlertRules.read(files.alertRules()), source).declare();
    }

    private void declare() {
        for (String api : APIS) {
            apis.add(new com.pulumi.gcp.projects.Service(
                    "api-" + api.substring(0, api.indexOf('.')),
                    com.pulumi.gcp.projects.ServiceArgs.builder()
                            .project(config.project())
                            .service(api)
                            .disableOnDestroy(false)
                            .build()));
        }
        Account runtime = account(env.runtimeAccountId(), "Orchestra " + env.name() + " (Cloud Run runtime)");
        Account ci = account(env.ciAccountId(), "Orchestra " + env.name() + " (CI deploys, via GitHub OIDC)");
        Output<String> ciMember = member(ci);

        Repository registry = new Repository(
                "registry",
                RepositoryArgs.builder()
                        .project(config.project())
                        .location(env.region())
                        .repositoryId(env.registry())
                        .format("DOCKER")
                        .description("Orchestra images (" + env.name() + ")")
                        .build(),
                afterApis());
        new RepositoryIamMember(
                "registry-ci-writer",
                RepositoryIamMemberArgs.builder()
                        .project(config.project())
                        .location(env.region())
                        .repository(registry.name())
                        .role("roles/artifactregistry.writer")
                        .member(ciMember)
                        .build());

        // Private networking: Cloud SQL and Memorystore have private addresses only, reached over direct VPC egress.
        Network network = new Network(
                "network",
                NetworkArgs.builder()
                        .project(config.project())
                        .name(env.resourceName())
                        .autoCreateSubnetworks(false)
                        .build(),
                afterApis());
        new Subnetwork(
                "subnetwork",
                SubnetworkArgs.builder()
                        .project(config.project())
                        .name(env.resourceName())
                        .region(env.region())
                        .network(network.id())
                        .ipCidrRange(SUBNET_RANGE)
                        .privateIpGoogleAccess(true)
                        .build());
        GlobalAddress peeringRange = new GlobalAddress(
                "private-services-range",
                GlobalAddressArgs.builder()
                        .project(config.project())
                        .name(env.resourceName() + "-private-services")
                        .purpose("VPC_PEERING")
                        .addressType("INTERNAL")
                        .prefixLength(16)
                        .network(network.id())
                        .build());
        Connection peering = new Connection(
                "private-services",
                ConnectionArgs.builder()
                        .network(network.id())
                        .service("servicenetworking.googleapis.com")
                        .reservedPeeringRanges(peeringRange.name().applyValue(List::of))
                        .build());

        DatabaseInstance database = database(network, peering);
        Map<String, Output<String>> values = new LinkedHashMap<>();
        values.put(
                DB_URL,
                Output.tuple(database.privateIpAddress(), config.dbPassword())
                        .applyValue(t -> "postgresql://" + DATABASE_USER + ":" + userInfo(t.t2) + "@" + t.t1 + ":5432/"
                                + DATABASE)
                        .asSecret());
        values.put(ADMIN_KEY, config.adminKey());
        Optional<Instance> redis = Optional.empty();
        boolean readsRedis = spec.secrets().stream().anyMatch(s -> s.name().equals(REDIS_URL));
        check(
                readsRedis || !env.redisRequired(),
                source + " does not read " + REDIS_URL + ", but " + env.name() + ".redis=true in " + DeployFiles.PINS);
        if (readsRedis) {
            Instance instance = redis(network, peering);
            values.put(
                    REDIS_URL,
                    Output.tuple(instance.host(), instance.port(), instance.authString())
                            .applyValue(t -> "redis://:" + userInfo(t.t3) + "@" + t.t1 + ":" + t.t2)
                            .asSecret());
            redis = Optional.of(instance);
        }

        // One Secret Manager secret per secret the service file references, readable by the service and by CI
        // (deploy.sh validates the configuration with them before a rollout), nobody else.
        Map<String, Secret> secrets = new LinkedHashMap<>();
        List<Resource> serviceDependencies = new ArrayList<>();
        for (CloudRunSpec.SecretRef ref : spec.secrets()) {
            Output<String> value = values.get(ref.name());
            check(
                    value != null,
                    source + " reads " + ref.name() + " from secret " + ref.secret()
                            + ", which this program has no value for (it knows " + values.keySet() + ")");
            check(ref.version().equals("latest"), source + ": " + ref.name() + " must read version latest");
            Secret secret = secret(ref.secret(), value, serviceDependencies);
            secrets.put(ref.name(), secret);
            serviceDependencies.add(accessor(ref.secret() + "-runtime", secret, member(runtime)));
            accessor(ref.secret() + "-ci", secret, ciMember);
        }
        // Kept for the GPU autoscaler (docs/deployment.md): stored and readable by the service, not yet in its env.
        config.lambdaLabsApiKey().ifPresent(key -> {
            String name = env.resourceName() + "-lambda-api-key";
            Secret secret = secret(name, key, new ArrayList<>());
            accessor(name + "-runtime", secret, member(runtime));
        });

        Service service = service(runtime, secrets, serviceDependencies);
        if (env.publicAccess()) {
            invoker("public-invoker", service, Output.of("allUsers"));
            // deploy.sh grants allUsers itself on dev, which takes setIamPolicy on the service.
            serviceRole("ci-run-admin", service, "roles/run.admin", ciMember);
        } else {
            serviceRole("ci-run-developer", service, "roles/run.developer", ciMember);
            // The rollout's readiness checks call the candidate with CI's identity token.
            invoker("ci-invoker", service, ciMember);
        }
        new IAMMember(
                "ci-acts-as-runtime",
                IAMMemberArgs.builder()
                        .serviceAccountId(runtime.name())
                        .role("roles/iam.serviceAccountUser")
                        .member(ciMember)
                        .build());

        WorkloadIdentityPoolProvider github = githubFederation(ci);
        Bucket state = stateBucket();
        monitoring(service);

        ctx.export("environment", Output.of(env.name()));
        ctx.export("serviceName", service.name());
        ctx.export("serviceUrl", service.uri());
        ctx.export("databaseConnectionName", database.connectionName());
        ctx.export("databasePrivateIp", database.privateIpAddress());
        redis.ifPresent(r -> {
            ctx.export("redisHost", r.host());
            ctx.export("redisPort", r.port());
        });
        ctx.export(
                "registry",
                Output.format("%s-docker.pkg.dev/%s/%s", env.region(), config.project(), registry.repositoryId()));
        ctx.export("runtimeServiceAccount", runtime.email());
        ctx.export("ciServiceAccount", ci.email());
        ctx.export("workloadIdentityProvider", github.name());
        ctx.export("stateBucket", state.url());
        ctx.export("gpuInstanceType", Output.of(config.gpuInstanceType()));
        // What `orchestra config check` needs, named as the server reads it (docs/deployment.md): secret.
        ctx.export(
                "configEnv",
                Output.all(new ArrayList<>(values.entrySet().stream()
                                .map(e -> e.getValue().applyValue(v -> Map.entry(e.getKey(), v)))
                                .toList()))
                        .applyValue(entries -> {
                            Map<String, String> env = new TreeMap<>();
                            entries.forEach(e -> env.put(e.getKey(), e.getValue()));
                            return env;
                        })
                        .asSecret());
    }

    private Account account(String id, String displayName) {
        return new Account(
                id,
                AccountArgs.builder()
                        .project(config.project())
                        .accountId(id)
                        .displayName(displayName)
                        .build(),
                afterApis());
    }

    private DatabaseInstance database(Network network, Connection peering) {
        // pgvector needs no database flag on Cloud SQL: the server runs CREATE EXTENSION vector itself (its user
        // is a cloudsqlsuperuser), so the instance sets no flags.
        DatabaseInstance instance = new DatabaseInstance(
                "database",
                DatabaseInstanceArgs.builder()
                        .project(config.project())
                        .name(env.resourceName())
                        .region(env.region())
                        .databaseVersion(env.sqlVersion())
                        .deletionProtection(true)
                        .settings(DatabaseInstanceSettingsArgs.builder()
                                .tier(env.sqlTier())
                                .availabilityType(env.sqlHighAvailability() ? "REGIONAL" : "ZONAL")
                                .diskAutoresize(true)
                                .deletionProtectionEnabled(true)
                                .backupConfiguration(DatabaseInstanceSettingsBackupConfigurationArgs.builder()
                                        .enabled(true)
                                        .pointInTimeRecoveryEnabled(env.sqlHighAvailability())
                                        .build())
                                .ipConfiguration(DatabaseInstanceSettingsIpConfigurationArgs.builder()
                                        .ipv4Enabled(false)
                                        .privateNetwork(network.id())
                                        .build())
                                .build())
                        .build(),
                CustomResourceOptions.builder().dependsOn(peering).build());
        new Database(
                "database-orchestra",
                DatabaseArgs.builder()
                        .project(config.project())
                        .instance(instance.name())
                        .name(DATABASE)
                        .build());
        new User(
                "database-user",
                UserArgs.builder()
                        .project(config.project())
                        .instance(instance.name())
                        .name(DATABASE_USER)
                        .password(config.dbPassword())
                        .build());
        return instance;
    }

    private Instance redis(Network network, Connection peering) {
        return new Instance(
                "redis",
                InstanceArgs.builder()
                        .project(config.project())
                        .name(env.resourceName())
                        .region(env.region())
                        .tier(env.redisTier())
                        .memorySizeGb(1)
                        .redisVersion(env.redisVersion())
                        .authorizedNetwork(network.id())
                        .connectMode("PRIVATE_SERVICE_ACCESS")
                        .authEnabled(true)
                        .build(),
                CustomResourceOptions.builder().dependsOn(peering).build());
    }

    private Secret secret(String name, Output<String> value, List<Resource> versions) {
        Secret secret = new Secret(
                name,
                SecretArgs.builder()
                        .project(config.project())
                        .secretId(name)
                        .replication(SecretReplicationArgs.builder()
                                .auto(SecretReplicationAutoArgs.builder().build())
                                .build())
                        .build(),
                afterApis());
        versions.add(new SecretVersion(
                name + "-version",
                SecretVersionArgs.builder()
                        .secret(secret.id())
                        .secretData(value.asSecret())
                        .build()));
        return secret;
    }

    private SecretIamMember accessor(String name, Secret secret, Output<String> member) {
        return new SecretIamMember(
                name,
                SecretIamMemberArgs.builder()
                        .project(config.project())
                        .secretId(secret.secretId())
                        .role("roles/secretmanager.secretAccessor")
                        .member(member)
                        .build());
    }

    /** The Cloud Run service, setting for setting as deploy/cloudrun/service-&lt;env&gt;.yaml says. */
    private Service service(Account runtime, Map<String, Secret> secrets, List<Resource> dependencies) {
        check(
                spec.network().equals(env.resourceName()) && spec.subnetwork().equals(env.resourceName()),
                source + " sends traffic into network " + spec.network() + "/" + spec.subnetwork()
                        + ", but the stack's network is " + env.resourceName());
        String expectedAccount =
                env.runtimeAccountId() + "@" + CloudRunSpec.PROJECT_PLACEHOLDER + ".iam.gserviceaccount.com";
        check(
                spec.serviceAccount().equals(expectedAccount),
                source + " runs as " + spec.serviceAccount() + ", but the stack's runtime account is "
                        + expectedAccount);
        List<ServiceTemplateContainerEnvArgs> envs = new ArrayList<>();
        boolean gpuTypeSet = false;
        for (CloudRunSpec.EnvVar variable : spec.env()) {
            switch (variable) {
                case CloudRunSpec.Plain plain -> {
                    if (plain.name().equals(GPU_INSTANCE_TYPE)) {
                        check(
                                plain.value().equals(config.gpuInstanceType()),
                                source + " sets " + GPU_INSTANCE_TYPE
                                        + "=" + plain.value() + ", but the stack's gpu_instance_type is "
                                        + config.gpuInstanceType());
                        gpuTypeSet = true;
                    }
                    envs.add(ServiceTemplateContainerEnvArgs.builder()
                            .name(plain.name())
                            .value(plain.value())
                            .build());
                }
                case CloudRunSpec.SecretRef ref ->
                    envs.add(ServiceTemplateContainerEnvArgs.builder()
                            .name(ref.name())
                            .valueSource(ServiceTemplateContainerEnvValueSourceArgs.builder()
                                    .secretKeyRef(ServiceTemplateContainerEnvValueSourceSecretKeyRefArgs.builder()
                                            .secret(secrets.get(ref.name()).secretId())
                                            .version(ref.version())
                                            .build())
                                    .build())
                            .build());
            }
        }
        check(gpuTypeSet, source + " does not pass the stack's gpu_instance_type as " + GPU_INSTANCE_TYPE);
        CloudRunSpec.Probe startup = spec.startupProbe();
        CloudRunSpec.Probe liveness = spec.livenessProbe();
        ServiceTemplateContainerArgs container = ServiceTemplateContainerArgs.builder()
                .image(config.image())
                .args(spec.args())
                .ports(ServiceTemplateContainerPortArgs.builder()
                        .name(spec.port().name())
                        .containerPort(spec.port().containerPort())
                        .build())
                .envs(envs)
                .resources(ServiceTemplateContainerResourcesArgs.builder()
                        .limits(spec.limits())
                        .startupCpuBoost(spec.startupCpuBoost())
                        .build())
                .startupProbe(ServiceTemplateContainerStartupProbeArgs.builder()
                        .httpGet(ServiceTemplateContainerStartupProbeHttpGetArgs.builder()
                                .path(startup.path())
                                .port(startup.port())
                                .build())
                        .periodSeconds(startup.periodSeconds())
                        .failureThreshold(startup.failureThreshold())
                        .build())
                .livenessProbe(ServiceTemplateContainerLivenessProbeArgs.builder()
                        .httpGet(ServiceTemplateContainerLivenessProbeHttpGetArgs.builder()
                                .path(liveness.path())
                                .port(liveness.port())
                                .build())
                        .periodSeconds(liveness.periodSeconds())
                        .build())
                .build();
        return new Service(
                "service",
                ServiceArgs.builder()
                        .project(config.project())
                        .name(spec.name())
                        .location(env.region())
                        .ingress(spec.ingress().v2)
                        .template(ServiceTemplateArgs.builder()
                                .serviceAccount(runtime.email())
                                .scaling(ServiceTemplateScalingArgs.builder()
                                        .minInstanceCount(spec.minInstances())
                                        .maxInstanceCount(spec.maxInstances())
                                        .build())
                                .maxInstanceRequestConcurrency(spec.concurrency())
                                .timeout(spec.timeoutSeconds() + "s")
                                .vpcAccess(ServiceTemplateVpcAccessArgs.builder()
                                        .networkInterfaces(ServiceTemplateVpcAccessNetworkInterfaceArgs.builder()
                                                .network(spec.network())
                                                .subnetwork(spec.subnetwork())
                                                .build())
                                        .egress(spec.egress().name())
                                        .build())
                                .containers(container)
                                .build())
                        .build(),
                CustomResourceOptions.builder()
                        .dependsOn(dependencies)
                        // deploy.sh rolls out images and moves traffic (health-gated); `pulumi up` owns the rest.
                        .ignoreChanges("template.containers[0].image", "traffics", "client", "clientVersion")
                        .build());
    }

    private void invoker(String name, Service service, Output<String> member) {
        serviceRole(name, service, "roles/run.invoker", member);
    }

    private void serviceRole(String name, Service service, String role, Output<String> member) {
        new ServiceIamMember(
                name,
                ServiceIamMemberArgs.builder()
                        .project(config.project())
                        .location(env.region())
                        .name(service.name())
                        .role(role)
                        .member(member)
                        .build());
    }

    /** GitHub Actions of one repository become the CI account by OIDC: no service account key exists. */
    private WorkloadIdentityPoolProvider githubFederation(Account ci) {
        WorkloadIdentityPool pool = new WorkloadIdentityPool(
                "github-pool",
                WorkloadIdentityPoolArgs.builder()
                        .project(config.project())
                        .workloadIdentityPoolId("orchestra-github")
                        .displayName("GitHub Actions")
                        .build(),
                afterApis());
        WorkloadIdentityPoolProvider provider = new WorkloadIdentityPoolProvider(
                "github-provider",
                WorkloadIdentityPoolProviderArgs.builder()
                        .project(config.project())
                        .workloadIdentityPoolId(pool.workloadIdentityPoolId())
                        .workloadIdentityPoolProviderId("github")
                        .displayName("GitHub")
                        .attributeMapping(Map.of(
                                "google.subject", "assertion.sub",
                                "attribute.repository", "assertion.repository",
                                "attribute.ref", "assertion.ref"))
                        // Only this repository's workflows can exchange their token.
                        .attributeCondition("assertion.repository == '" + config.githubRepository() + "'")
                        .oidc(WorkloadIdentityPoolProviderOidcArgs.builder()
                                .issuerUri(GITHUB_ISSUER)
                                .build())
                        .build());
        new IAMMember(
                "ci-workload-identity",
                IAMMemberArgs.builder()
                        .serviceAccountId(ci.name())
                        .role("roles/iam.workloadIdentityUser")
                        .member(pool.name()
                                .applyValue(name -> "principalSet://iam.googleapis.com/" + name
                                        + "/attribute.repository/" + config.githubRepository()))
                        .build());
        return provider;
    }

    /** Where `pulumi login gs://…` keeps this stack's state once it exists (docs/deployment.md). */
    private Bucket stateBucket() {
        return new Bucket(
                "state",
                BucketArgs.builder()
                        .project(config.project())
                        .name(config.project() + "-orchestra-state")
                        .location(env.region())
                        .uniformBucketLevelAccess(true)
                        .publicAccessPrevention("enforced")
                        .versioning(BucketVersioningArgs.builder().enabled(true).build())
                        .forceDestroy(false)
                        .build(),
                afterApis());
    }

    /**
     * The Prometheus rules that Cloud Monitoring can see without scraping /metrics: the service down and its 5xx
     * share. Thresholds and durations come from deploy/prometheus/alerts.yml.
     */
    private void monitoring(Service service) {
        List<Output<String>> channels = new ArrayList<>();
        config.alertEmail()
                .ifPresent(email -> channels.add(new NotificationChannel(
                                "alert-email",
                                NotificationChannelArgs.builder()
                                        .project(config.project())
                                        .displayName("Orchestra " + env.name() + " alerts")
                                        .type("email")
                                        .labels(Map.of("email_address", email))
                                        .build(),
                                afterApis())
                        .name()));
        Output<List<String>> notify = Output.all(channels);
        String serviceFilter =
                "resource.type=\"cloud_run_revision\" AND resource.label.service_name=\"" + spec.name() + "\"";

        AlertRules.Rule down = alerts.rule("OrchestraDown");
        AlertPolicyConditionConditionThresholdArgs downCondition;
        if (env.publicAccess()) {
            // Public: probe /health from outside, as a user would.
            UptimeCheckConfig uptime = new UptimeCheckConfig(
                    "uptime",
                    UptimeCheckConfigArgs.builder()
                            .project(config.project())
                            .displayName(spec.name() + " /health")
                            .period("60s")
                            .timeout("10s")
                            .httpCheck(UptimeCheckConfigHttpCheckArgs.builder()
                                    .path(spec.startupProbe().path())
                                    .port(443)
                                    .useSsl(true)
                                    .validateSsl(true)
                                    .build())
                            .monitoredResource(UptimeCheckConfigMonitoredResourceArgs.builder()
                                    .type("uptime_url")
                                    .labels(service.uri()
                                            .applyValue(uri -> Map.of(
                                                    "project_id",
                                                    config.project(),
                                                    "host",
                                                    uri.replaceFirst("^https://", ""))))
                                    .build())
                            .build(),
                    afterApis());
            downCondition = AlertPolicyConditionConditionThresholdArgs.builder()
                    .filter(uptime.uptimeCheckId()
                            .applyValue(id -> "metric.type=\"monitoring.googleapis.com/uptime_check/check_passed\""
                                    + " AND resource.type=\"uptime_url\" AND metric.label.check_id=\"" + id + "\""))
                    .aggregations(AlertPolicyConditionConditionThresholdAggregationArgs.builder()
                            .alignmentPeriod("60s")
                            .perSeriesAligner("ALIGN_NEXT_OLDER")
                            .crossSeriesReducer("REDUCE_COUNT_FALSE")
                            .groupByFields("resource.label.host")
                            .build())
                    .comparison("COMPARISON_GT")
                    .thresholdValue(1.0)
                    .duration(down.forSeconds() + "s")
                    .build();
        } else {
            // Private (no external probe reaches it): no instance running, though the minimum is at least one.
            downCondition = AlertPolicyConditionConditionThresholdArgs.builder()
                    .filter(serviceFilter + " AND metric.type=\"run.googleapis.com/container/instance_count\"")
                    .aggregations(AlertPolicyConditionConditionThresholdAggregationArgs.builder()
                            .alignmentPeriod("60s")
                            .perSeriesAligner("ALIGN_MAX")
                            .crossSeriesReducer("REDUCE_SUM")
                            .build())
                    .comparison("COMPARISON_LT")
                    .thresholdValue(1.0)
                    .duration(down.forSeconds() + "s")
                    .build();
        }
        alertPolicy(down, downCondition, notify);

        AlertRules.Rule errors = alerts.rule("OrchestraHighErrorRate");
        String requests = serviceFilter + " AND metric.type=\"run.googleapis.com/request_count\"";
        alertPolicy(
                errors,
                AlertPolicyConditionConditionThresholdArgs.builder()
                        .filter(requests + " AND metric.label.response_code_class=\"5xx\"")
                        .aggregations(AlertPolicyConditionConditionThresholdAggregationArgs.builder()
                                .alignmentPeriod("300s")
                                .perSeriesAligner("ALIGN_RATE")
                                .crossSeriesReducer("REDUCE_SUM")
                                .build())
                        .denominatorFilter(requests)
                        .denominatorAggregations(
                                AlertPolicyConditionConditionThresholdDenominatorAggregationArgs.builder()
                                        .alignmentPeriod("300s")
                                        .perSeriesAligner("ALIGN_RATE")
                                        .crossSeriesReducer("REDUCE_SUM")
                                        .build())
                        .comparison("COMPARISON_GT")
                        .thresholdValue(errors.threshold())
                        .duration(errors.forSeconds() + "s")
                        .build(),
                notify);
    }

    private void alertPolicy(
            AlertRules.Rule rule, AlertPolicyConditionConditionThresholdArgs condition, Output<List<String>> notify) {
        new AlertPolicy(
                "alert-" + rule.name(),
                AlertPolicyArgs.builder()
                        .project(config.project())
                        .displayName(rule.name() + " (" + spec.name() + ")")
                        .combiner("OR")
                        .conditions(AlertPolicyConditionArgs.builder()
                                .displayName(rule.summary().replaceAll("\\{\\{[^}]*}}\\s*", ""))
                                .conditionThreshold(condition)
                                .build())
                        .notificationChannels(notify)
                        .userLabels(Map.of(
                                "severity",
                                rule.severity(),
                                "prometheus_rule",
                                rule.name().toLowerCase()))
                        .documentation(AlertPolicyDocumentationArgs.builder()
                                .content("Mirrors " + rule.name() + " in deploy/prometheus/alerts.yml: " + rule.expr())
                                .mimeType("text/markdown")
                                .build())
                        .build(),
                afterApis());
    }

    private CustomResourceOptions afterApis() {
        return CustomResourceOptions.builder().dependsOn(apis).build();
    }

    private static Output<String> member(Account account) {
        return account.email().applyValue(email -> "serviceAccount:" + email);
    }

    /** A value inside a URL's user info: percent-encoded, so any password works. */
    static String userInfo(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static void check(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
