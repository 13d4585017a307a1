package io.orchestra.core.storage;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Locale;
import java.util.concurrent.locks.ReentrantLock;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.core.statement.StatementCustomizer;
import org.jdbi.v3.core.transaction.DelegatingTransactionHandler;
import org.jdbi.v3.core.transaction.TransactionHandler;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;

/**
 * One SQLite writer at a time inside this process, queued in Java instead of in SQLite.
 *
 * <p>SQLite's busy_timeout waits inside native code, and a virtual thread in native code keeps its
 * carrier. With as many waiters as carriers (two on a two-core machine), the thread that holds the
 * write lock cannot be scheduled again once it parks (a log write, a lock, a nested call), so every
 * writer stalls until the timeout runs out, 30 s later. Waiting on this lock parks instead. Every
 * transaction is a writer (they begin IMMEDIATE); outside one, every statement that is not a plain
 * query is. busy_timeout still covers other processes, such as a CLI command beside the server.
 */
final class SqliteWriteGate {
    private final ReentrantLock lock = new ReentrantLock(true);

    void install(Jdbi jdbi) {
        jdbi.setTransactionHandler(new GatedTransactions(jdbi.getTransactionHandler()));
        jdbi.addCustomizer(new GatedStatements());
    }

    /** Whether a statement outside a transaction may write: anything but a plain query. */
    static boolean mayWrite(String sql) {
        if (sql == null) {
            return true;
        }
        String keyword = firstKeyword(sql);
        return !(keyword.equals("select") || keyword.equals("values"));
    }

    private static String firstKeyword(String sql) {
        int i = 0;
        int n = sql.length();
        while (i < n) {
            char c = sql.charAt(i);
            if (Character.isWhitespace(c) || c == '(') {
                i++;
            } else if (sql.startsWith("--", i)) {
                int end = sql.indexOf('\n', i);
                i = end < 0 ? n : end + 1;
            } else if (sql.startsWith("/*", i)) {
                int end = sql.indexOf("*/", i + 2);
                i = end < 0 ? n : end + 2;
            } else {
                break;
            }
        }
        int start = i;
        while (i < n && Character.isLetter(sql.charAt(i))) {
            i++;
        }
        return sql.substring(start, i).toLowerCase(Locale.ROOT);
    }

    private <R, X extends Exception> R gated(HandleCallback<R, X> body, Handle handle) throws X {
        lock.lock();
        try {
            return body.withHandle(handle);
        } finally {
            lock.unlock();
        }
    }

    private final class GatedTransactions extends DelegatingTransactionHandler {
        GatedTransactions(TransactionHandler delegate) {
            super(delegate);
        }

        @Override
        public TransactionHandler specialize(Handle handle) throws SQLException {
            return new GatedTransactions(getDelegate().specialize(handle));
        }

        @Override
        public <R, X extends Exception> R inTransaction(Handle handle, HandleCallback<R, X> callback) throws X {
            return gated(h -> getDelegate().inTransaction(h, callback), handle);
        }

        @Override
        public <R, X extends Exception> R inTransaction(
                Handle handle, TransactionIsolationLevel level, HandleCallback<R, X> callback) throws X {
            return gated(h -> getDelegate().inTransaction(h, level, callback), handle);
        }
    }

    private final class GatedStatements implements StatementCustomizer {
        @Override
        public void beforeExecution(PreparedStatement statement, StatementContext context) throws SQLException {
            if (lock.isHeldByCurrentThread()
                    || !statement.getConnection().getAutoCommit()
                    || !mayWrite(context.getRawSql())) {
                return;
            }
            lock.lock();
            context.addCleanable(lock::unlock);
        }
    }
}
