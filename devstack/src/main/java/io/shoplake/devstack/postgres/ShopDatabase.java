package io.shoplake.devstack.postgres;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * Creates the shop's OLTP database the way a real service would own it: an application role that
 * owns the tables, a separate replication role for CDC that can only read, and a publication that
 * lists the captured tables explicitly (Debezium must not create it, it would need ownership).
 */
public final class ShopDatabase {

    public static final String DATABASE = "shop";
    public static final String OWNER = "shoplake";
    public static final String CDC_USER = "cdc";
    public static final String PUBLICATION = "shoplake_pub";
    public static final String SLOT = "shoplake";
    public static final List<String> TABLES =
            List.of("customers", "products", "inventory", "orders", "order_items", "outbox");

    private static final List<String> DDL = List.of(
            """
            create table customers(customer_id bigint primary key, email text not null, phone text,
              full_name text not null, created_at timestamptz not null default now(),
              updated_at timestamptz not null default now())""",
            """
            create table products(product_id bigint primary key, sku text not null unique, name text not null,
              category text not null, cost numeric(12,2) not null, price numeric(12,2) not null,
              updated_at timestamptz not null default now())""",
            """
            create table inventory(product_id bigint not null references products, location_id text not null,
              on_hand integer not null, reserved integer not null default 0,
              updated_at timestamptz not null default now(), primary key(product_id, location_id),
              check (on_hand >= 0 and reserved >= 0))""",
            """
            create table orders(order_id bigint primary key, customer_id bigint not null references customers,
              status text not null, channel text not null, total numeric(12,2) not null,
              created_at timestamptz not null default now(), updated_at timestamptz not null default now())""",
            """
            create table order_items(order_id bigint not null references orders, line_no integer not null,
              product_id bigint not null, location_id text not null, quantity integer not null,
              unit_price numeric(12,2) not null, primary key(order_id, line_no))""",
            """
            create table outbox(id uuid primary key, aggregatetype text not null, aggregateid text not null,
              type text not null, payload jsonb not null, created_at timestamptz not null default now())""");

    private ShopDatabase() {
    }

    /** Secrets are generated alphanumerics, so inlining them in DDL (which takes no binds) is safe. */
    public static void create(PostgresCluster pg, String ownerPassword, String cdcPassword) throws SQLException {
        try (Connection c = pg.connectAsSuperuser("postgres"); Statement s = c.createStatement()) {
            s.execute("create role " + OWNER + " login password '" + ownerPassword + "'");
            s.execute("create role " + CDC_USER + " login replication password '" + cdcPassword + "'");
            s.execute("create database " + DATABASE + " owner " + OWNER);
        }
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl(DATABASE), OWNER, ownerPassword)) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                for (String ddl : DDL) {
                    s.execute(ddl);
                }
                for (String t : TABLES) {
                    // Updates and deletes must carry the whole old row in `before`.
                    s.execute("alter table " + t + " replica identity full");
                }
                s.execute("grant select on all tables in schema public to " + CDC_USER);
                s.execute("create publication " + PUBLICATION + " for table " + String.join(", ", TABLES));
            }
            ShopSeed.insert(c);
            c.commit();
        }
    }
}
