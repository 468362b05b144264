package io.shoplake.devstack.simulator;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The changes that break naive CDC apply, on the live shop database: a burst of updates to
 * one row, a bulk insert, update and delete of thousands of rows each in one transaction,
 * re-inserts of deleted keys, a deleted and re-created stock row, and a column added to a
 * table while changes flow. Deterministic: run once per database (its customer ids are
 * taken above the current maximum).
 */
public final class CdcStressScenario {
    private static final Logger LOG = LoggerFactory.getLogger(CdcStressScenario.class);
    /** Rows in each bulk statement. */
    public static final int BULK = 3000;
    public static final int BURST = 30;

    private final Connection c;

    public CdcStressScenario(Connection c) {
        this.c = c;
    }

    public void run() throws SQLException {
        c.setAutoCommit(false);
        long first;
        try (Statement s = c.createStatement(); var rs = s.executeQuery("select coalesce(max(customer_id), 0) + 1 from customers")) {
            rs.next();
            first = rs.getLong(1) + 1_000_000;
        }
        long last = first + BULK - 1;
        burst();
        update("insert into customers(customer_id, email, phone, full_name) select id, 'bulk' || id || '@example.com', "
            + "'+1 555 ' || id, 'Bulk Customer ' || id from generate_series(?, ?) id", first, last);
        update("update customers set phone = '+1 556 ' || customer_id, updated_at = now() "
            + "where customer_id between ? and ?", first, last);
        update("delete from customers where customer_id between ? and ? and customer_id % 3 = 0", first, last);
        // Re-inserting a deleted key: silver must show the new row, not the tombstone.
        update("insert into customers(customer_id, email, phone, full_name) select id, 'again' || id || '@example.com', "
            + "null, 'Returning Customer ' || id from generate_series(?, ?) id where id % 3 = 0 and id % 2 = 0",
            first, last);
        restock();
        addColumn();
        LOG.info("CDC stress scenario done: customers {}..{}", first, last);
    }

    /** Many commits to one row in quick succession: apply must keep the last, by LSN. */
    private void burst() throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("update inventory set on_hand = on_hand + 1, updated_at = now() "
                + "where (product_id, location_id) = (select product_id, location_id from inventory "
                + "order by product_id, location_id limit 1)")) {
            for (int i = 0; i < BURST; i++) {
                ps.executeUpdate();
                c.commit();
            }
        }
    }

    /** A stock row with nothing reserved is deleted, then created again with new stock. */
    private void restock() throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select product_id, location_id, on_hand from inventory "
            + "where reserved = 0 order by product_id desc, location_id limit 2");
             var rs = ps.executeQuery()) {
            java.util.List<Object[]> rows = new java.util.ArrayList<>();
            while (rs.next()) rows.add(new Object[] {rs.getLong(1), rs.getString(2), rs.getInt(3)});
            c.commit();
            for (int i = 0; i < rows.size(); i++) {
                Object[] r = rows.get(i);
                try (PreparedStatement del = c.prepareStatement("delete from inventory where product_id = ? and location_id = ?")) {
                    del.setLong(1, (Long) r[0]);
                    del.setString(2, (String) r[1]);
                    del.executeUpdate();
                    c.commit();
                }
                if (i == 0) {
                    // Only the first comes back: the second stays deleted.
                    try (PreparedStatement ins = c.prepareStatement(
                        "insert into inventory(product_id, location_id, on_hand, reserved) values (?, ?, ?, 0)")) {
                        ins.setLong(1, (Long) r[0]);
                        ins.setString(2, (String) r[1]);
                        ins.setInt(3, (Integer) r[2] + 7);
                        ins.executeUpdate();
                        c.commit();
                    }
                }
            }
        }
    }

    /** A nullable column appears in products and is filled for some rows. */
    private void addColumn() throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("alter table products add column if not exists brand text");
            c.commit();
            s.executeUpdate("update products set brand = 'brand-' || (product_id % 4), updated_at = now() "
                + "where product_id % 3 = 0");
            c.commit();
        }
    }

    private void update(String sql, long a, long b) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, a);
            ps.setLong(2, b);
            ps.executeUpdate();
            c.commit();
        } catch (SQLException e) {
            c.rollback();
            throw e;
        }
    }
}
