package io.orchestra.server.cli;

import io.orchestra.core.auth.Role;
import io.orchestra.core.error.Validation;
import io.orchestra.server.auth.ApiKey;
import io.orchestra.server.auth.ApiKeyStore;
import io.orchestra.server.auth.CreatedKey;
import io.orchestra.server.auth.KeyRoutes;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "keys",
        mixinStandardHelpOptions = true,
        description = "Manage API keys.",
        subcommands = {KeysCommand.Create.class, KeysCommand.ListKeys.class, KeysCommand.Revoke.class})
final class KeysCommand implements Runnable {
    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }

    private static <T> T withStore(java.util.function.Function<ApiKeyStore, T> action) {
        return CliDatabase.with(db -> action.apply(new ApiKeyStore(db, Clock.systemUTC())));
    }

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a key and print its secret once.")
    static final class Create implements Callable<Integer> {
        @Option(names = "--name", required = true, description = "A name people recognise.")
        String name;

        @Option(names = "--role", defaultValue = "member", description = "admin or member (default: member).")
        String role;

        @Option(names = "--owner", description = "Whose data the key reaches (default: the key's own id).")
        String owner;

        @Option(names = "--tag", description = "A tag for conditional routing; repeatable.")
        List<String> tags;

        @Override
        public Integer call() {
            Validation v = KeyRoutes.validate(name, role, owner, tags);
            if (!v.ok()) {
                System.err.println("invalid key:\n  - " + String.join("\n  - ", v.errors()));
                return 2;
            }
            CreatedKey created = withStore(store ->
                    store.create(name, Role.parse(role).orElseThrow(), owner, tags == null ? List.of() : tags));
            System.out.println("created " + created.key().role().wire() + " key "
                    + created.key().id() + " (" + created.key().name() + ")");
            System.out.println("secret (shown only once): " + created.secret());
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List keys (never their secrets).")
    static final class ListKeys implements Runnable {
        @Override
        public void run() {
            List<ApiKey> keys = withStore(ApiKeyStore::list);
            System.out.printf("%-34s %-24s %-7s %-20s %-12s %s%n", "ID", "NAME", "ROLE", "OWNER", "PREFIX", "STATUS");
            for (ApiKey key : keys) {
                System.out.printf(
                        "%-34s %-24s %-7s %-20s %-12s %s%n",
                        key.id(),
                        key.name(),
                        key.role().wire(),
                        key.owner(),
                        key.prefix() + "…",
                        key.revoked() ? "revoked " + key.revokedAt() : "active");
            }
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revoke a key by id.")
    static final class Revoke implements Runnable {
        @Parameters(index = "0", description = "The key id (see 'keys list').")
        String id;

        @Override
        public void run() {
            ApiKey key = withStore(store -> store.revoke(id));
            System.out.println("revoked " + key.id() + " (" + key.name() + ")");
        }
    }
}
