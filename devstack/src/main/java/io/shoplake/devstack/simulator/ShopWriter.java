package io.shoplake.devstack.simulator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shoplake.devstack.postgres.ShopSeed;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;

/**
 * The shop's OLTP writes, each business step in one transaction together with its outbox event,
 * exactly as a service using the transactional outbox pattern would do it.
 */
final class ShopWriter {

    static final String AGGREGATE = "order";

    record Line(int lineNo, long productId, String locationId, int quantity, BigDecimal unitPrice) {
    }

    record Order(long orderId, long customerId, String channel, BigDecimal total, List<Line> lines) {
    }

    private final Connection c;
    private final Random random;
    private final ObjectMapper json = new ObjectMapper();
    /** Rows inserted, updated or deleted: each reaches Kafka as a change event or an outbox event. */
    private long rowsWritten;

    ShopWriter(Connection c, Random random) throws SQLException {
        this.c = c;
        this.random = random;
        c.setAutoCommit(false);
    }

    long rowsWritten() {
        return rowsWritten;
    }

    private void written(int rows) {
        rowsWritten += rows;
    }

    private void written(int[] rows) {
        for (int r : rows) {
            rowsWritten += Math.max(r, 0);
        }
    }

    long maxId(String table, String column) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select coalesce(max(" + column + "), 0) from " + table);
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            long v = rs.getLong(1);
            c.commit();
            return v;
        }
    }

    /** Every id in the table, ascending. */
    List<Long> ids(String table, String column) throws SQLException {
        List<Long> ids = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("select " + column + " from " + table + " order by 1");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) ids.add(rs.getLong(1));
        }
        c.commit();
        return ids;
    }

    /** Orders a previous run left unfinished keep progressing in this one. */
    List<OpenOrder> openOrders() throws SQLException {
        List<OpenOrder> open = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(
                "select order_id, customer_id, channel, total, status from orders "
                        + "where status in ('created','paid','shipped') order by order_id");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                open.add(new OpenOrder(new Order(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getBigDecimal(4),
                        List.of()), rs.getString(5), 0L));
            }
        }
        List<OpenOrder> withLines = new ArrayList<>();
        for (OpenOrder o : open) {
            withLines.add(new OpenOrder(new Order(o.order.orderId(), o.order.customerId(), o.order.channel(),
                    o.order.total(), lines(o.order.orderId())), o.status, 0L));
        }
        c.commit();
        return withLines;
    }

    private List<Line> lines(long orderId) throws SQLException {
        List<Line> lines = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("select line_no, product_id, location_id, quantity, unit_price "
                + "from order_items where order_id = ? order by line_no")) {
            ps.setLong(1, orderId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    lines.add(new Line(rs.getInt(1), rs.getLong(2), rs.getString(3), rs.getInt(4), rs.getBigDecimal(5)));
                }
            }
        }
        return lines;
    }

    /**
     * Places an order, reserving stock line by line from the first location that still has enough
     * available; lines nobody can fill are dropped, and an order with no line is not placed.
     */
    Optional<Order> placeOrder(long orderId, long customerId, String channel, Map<Long, Integer> cart)
            throws SQLException {
        try {
            List<Line> lines = new ArrayList<>();
            int lineNo = 1;
            for (Map.Entry<Long, Integer> item : cart.entrySet()) {
                Optional<String> location = reserve(item.getKey(), item.getValue(), channel);
                if (location.isPresent()) {
                    lines.add(new Line(lineNo++, item.getKey(), location.get(), item.getValue(), price(item.getKey())));
                }
            }
            if (lines.isEmpty()) {
                c.rollback();
                return Optional.empty();
            }
            BigDecimal total = lines.stream().map(l -> l.unitPrice().multiply(BigDecimal.valueOf(l.quantity())))
                    .reduce(BigDecimal.ZERO, BigDecimal::add);
            Order order = new Order(orderId, customerId, channel, total, lines);
            try (PreparedStatement ps = c.prepareStatement(
                    "insert into orders(order_id, customer_id, status, channel, total) values (?,?,'created',?,?)")) {
                ps.setLong(1, orderId);
                ps.setLong(2, customerId);
                ps.setString(3, channel);
                ps.setBigDecimal(4, total);
                written(ps.executeUpdate());
            }
            try (PreparedStatement ps = c.prepareStatement("insert into order_items(order_id, line_no, product_id, "
                    + "location_id, quantity, unit_price) values (?,?,?,?,?,?)")) {
                for (Line l : lines) {
                    ps.setLong(1, orderId);
                    ps.setInt(2, l.lineNo());
                    ps.setLong(3, l.productId());
                    ps.setString(4, l.locationId());
                    ps.setInt(5, l.quantity());
                    ps.setBigDecimal(6, l.unitPrice());
                    ps.addBatch();
                }
                written(ps.executeBatch());
            }
            outbox(order, "OrderCreated", "created");
            outbox(order, "InventoryReserved", "created");
            c.commit();
            return Optional.of(order);
        } catch (SQLException e) {
            c.rollback();
            throw e;
        }
    }

    private Optional<String> reserve(long productId, int quantity, String channel) throws SQLException {
        List<String> candidates = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("select location_id, on_hand - reserved from inventory "
                + "where product_id = ? order by location_id for update")) {
            ps.setLong(1, productId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (rs.getInt(2) >= quantity) {
                        candidates.add(rs.getString(1));
                    }
                }
            }
        }
        if (candidates.isEmpty()) {
            return Optional.empty();
        }
        // Store sales come off the shelf; online ones from any location that has the stock.
        String location = channel.equals("store") && candidates.contains("STORE-1")
                ? "STORE-1" : candidates.get(random.nextInt(candidates.size()));
        try (PreparedStatement ps = c.prepareStatement("update inventory set reserved = reserved + ?, "
                + "updated_at = now() where product_id = ? and location_id = ?")) {
            ps.setInt(1, quantity);
            ps.setLong(2, productId);
            ps.setString(3, location);
            written(ps.executeUpdate());
        }
        return Optional.of(location);
    }

    private BigDecimal price(long productId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select price from products where product_id = ?")) {
            ps.setLong(1, productId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBigDecimal(1);
            }
        }
    }

    /** One status step with its stock movement and event, atomically. */
    void advance(Order order, String newStatus, String eventType) throws SQLException {
        try {
            try (PreparedStatement ps = c.prepareStatement(
                    "update orders set status = ?, updated_at = now() where order_id = ?")) {
                ps.setString(1, newStatus);
                ps.setLong(2, order.orderId());
                written(ps.executeUpdate());
            }
            String stock = switch (newStatus) {
                case "shipped" -> "on_hand = on_hand - ?, reserved = reserved - ?";
                case "cancelled" -> "reserved = reserved - ?";
                default -> null;
            };
            if (stock != null) {
                try (PreparedStatement ps = c.prepareStatement("update inventory set " + stock
                        + ", updated_at = now() where product_id = ? and location_id = ?")) {
                    for (Line l : order.lines()) {
                        int i = 1;
                        ps.setInt(i++, l.quantity());
                        if (newStatus.equals("shipped")) {
                            ps.setInt(i++, l.quantity());
                        }
                        ps.setLong(i++, l.productId());
                        ps.setString(i, l.locationId());
                        ps.addBatch();
                    }
                    written(ps.executeBatch());
                }
            }
            outbox(order, eventType, newStatus);
            c.commit();
        } catch (SQLException e) {
            c.rollback();
            throw e;
        }
    }

    private void outbox(Order order, String type, String status) throws SQLException {
        ObjectNode payload = json.createObjectNode();
        payload.put("orderId", order.orderId());
        payload.put("customerId", order.customerId());
        payload.put("channel", order.channel());
        payload.put("status", status);
        // Money as strings: the outbox JSON passes through Debezium, which would turn numbers into doubles.
        payload.put("total", order.total().toPlainString());
        ArrayNode lines = payload.putArray("lines");
        for (Line l : order.lines()) {
            lines.addObject().put("lineNo", l.lineNo()).put("productId", l.productId())
                    .put("locationId", l.locationId()).put("quantity", l.quantity())
                    .put("unitPrice", l.unitPrice().toPlainString());
        }
        try (PreparedStatement ps = c.prepareStatement("insert into outbox(id, aggregatetype, aggregateid, type, "
                + "payload) values (?,?,?,?,?::jsonb)")) {
            // One event of each type per order: naming the id after both keeps it unique across
            // simulator runs on the same database, and lets a replayed event keep its id.
            ps.setObject(1, UUID.nameUUIDFromBytes(("order/" + order.orderId() + "/" + type)
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            ps.setString(2, AGGREGATE);
            ps.setString(3, Long.toString(order.orderId()));
            ps.setString(4, type);
            ps.setString(5, payload.toString());
            written(ps.executeUpdate());
        }
    }

    /** Adds stock; now and then to a row that has run dry, which is what a restock usually fixes. */
    void restock(Catalog catalog, boolean preferEmpty) throws SQLException {
        long productId = catalog.randomProduct(random);
        String location = ShopSeed.LOCATIONS.get(random.nextInt(ShopSeed.LOCATIONS.size()));
        if (preferEmpty) {
            List<Object[]> empty = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "select product_id, location_id from inventory where on_hand = 0 order by 1, 2");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    empty.add(new Object[] {rs.getLong(1), rs.getString(2)});
                }
            }
            if (!empty.isEmpty()) {
                Object[] row = empty.get(random.nextInt(empty.size()));
                productId = (Long) row[0];
                location = (String) row[1];
            }
        }
        adjustStock(productId, location, 10 + random.nextInt(71));
    }

    /** Several quick corrections of one row, e.g. a cycle count scanned item by item. */
    int burst(Catalog catalog) throws SQLException {
        long productId = catalog.randomProduct(random);
        String location = ShopSeed.LOCATIONS.get(random.nextInt(ShopSeed.LOCATIONS.size()));
        int n = 3 + random.nextInt(3);
        for (int i = 0; i < n; i++) {
            adjustStock(productId, location, 1 + random.nextInt(3));
        }
        return n;
    }

    private void adjustStock(long productId, String location, int delta) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("update inventory set on_hand = on_hand + ?, "
                + "updated_at = now() where product_id = ? and location_id = ?")) {
            ps.setInt(1, delta);
            ps.setLong(2, productId);
            ps.setString(3, location);
            written(ps.executeUpdate());
            c.commit();
        }
    }

    /** A price move of -10 % .. +12 %, never below cost plus 5 %. */
    void changePrice(Catalog catalog) throws SQLException {
        long productId = catalog.randomProduct(random);
        try (PreparedStatement sel = c.prepareStatement(
                "select cost, price from products where product_id = ? for update")) {
            sel.setLong(1, productId);
            BigDecimal cost;
            BigDecimal price;
            try (ResultSet rs = sel.executeQuery()) {
                rs.next();
                cost = rs.getBigDecimal(1);
                price = rs.getBigDecimal(2);
            }
            BigDecimal factor = BigDecimal.valueOf(90 + random.nextInt(23), 2);
            BigDecimal floor = cost.multiply(new BigDecimal("1.05")).setScale(2, RoundingMode.CEILING);
            BigDecimal newPrice = price.multiply(factor).setScale(2, RoundingMode.HALF_UP).max(floor);
            try (PreparedStatement up = c.prepareStatement(
                    "update products set price = ?, updated_at = now() where product_id = ?")) {
                up.setBigDecimal(1, newPrice);
                up.setLong(2, productId);
                written(up.executeUpdate());
            }
            c.commit();
        } catch (SQLException e) {
            c.rollback();
            throw e;
        }
    }

    void newCustomer(long customerId) throws SQLException {
        ShopSeed.Person p = ShopSeed.Person.random(random, customerId);
        try (PreparedStatement ps = c.prepareStatement(
                "insert into customers(customer_id, email, phone, full_name) values (?,?,?,?)")) {
            ps.setLong(1, customerId);
            ps.setString(2, p.email());
            ps.setString(3, p.phone());
            ps.setString(4, p.fullName());
            written(ps.executeUpdate());
            c.commit();
        }
    }

    void editCustomer(long customerId) throws SQLException {
        boolean email = random.nextBoolean();
        try (PreparedStatement ps = c.prepareStatement(email
                ? "update customers set email = ?, updated_at = now() where customer_id = ?"
                : "update customers set phone = ?, updated_at = now() where customer_id = ?")) {
            ps.setString(1, email ? "customer" + customerId + "." + random.nextInt(1000) + "@mail.example.org"
                    : ShopSeed.Person.randomPhone(random));
            ps.setLong(2, customerId);
            written(ps.executeUpdate());
            c.commit();
        }
    }

    /** An order still moving through its lifecycle, with when it last moved. */
    static final class OpenOrder {
        final Order order;
        String status;
        long lastMoveNanos;

        OpenOrder(Order order, String status, long lastMoveNanos) {
            this.order = order;
            this.status = status;
            this.lastMoveNanos = lastMoveNanos;
        }
    }
}
