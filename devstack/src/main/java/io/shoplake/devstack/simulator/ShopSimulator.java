package io.shoplake.devstack.simulator;

import io.shoplake.devstack.DevstackConf;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small online shop in motion: browsing sessions that sometimes buy, orders moving from created to
 * delivered (or cancelled), restocks, price changes and customer sign-ups and edits. {@code rate}
 * paces actions, or events (clicks, changed rows, outbox rows) once {@link #pacedByEvents()} is
 * called; every choice comes from one seeded {@link Random}.
 */
public final class ShopSimulator {

    private static final Logger LOG = LoggerFactory.getLogger(ShopSimulator.class);
    private static final int MAX_OPEN_SESSIONS = 8;
    /** An order waits at least this long between steps, so its events spread out in time. */
    private static final long MIN_STEP_NANOS = Duration.ofMillis(500).toNanos();

    private final DevstackConf conf;
    private final long seed;
    private final Random random;
    private final SimulatorStats stats = new SimulatorStats();
    private final List<Session> sessions = new ArrayList<>();
    private final List<ShopWriter.OpenOrder> openOrders = new ArrayList<>();
    private Catalog catalog;
    private ShopWriter shop;
    private Clickstream clicks;
    private long nextOrderId;
    private long nextCustomerId;
    /** Ids of existing customers, ascending: ids need not be dense (customers get deleted). */
    private final java.util.List<Long> customers = new java.util.ArrayList<>();

    private boolean pacedByEvents;
    private long maxEvents = Long.MAX_VALUE;

    public ShopSimulator(DevstackConf conf, long seed) {
        this.conf = conf;
        this.seed = seed;
        this.random = new Random(seed);
    }

    /**
     * Makes {@code rate} count events rather than actions: what a pipeline sees. An order moves
     * several rows and an outbox event at once, a click is one event.
     */
    public ShopSimulator pacedByEvents() {
        pacedByEvents = true;
        return this;
    }

    /** Ends the run, between two actions, once it has sent this many events. */
    public ShopSimulator stopAfterEvents(long events) {
        maxEvents = events;
        return this;
    }

    public SimulatorStats run(Duration duration, double rate, Integer maxOrders) throws SQLException {
        return run(duration, rate, maxOrders, () -> false);
    }

    /** As above, also ending, between two actions, once {@code stop} says so. */
    public SimulatorStats run(Duration duration, double rate, Integer maxOrders, java.util.function.BooleanSupplier stop)
            throws SQLException {
        try (Connection c = DriverManager.getConnection(conf.postgresJdbcUrl(), conf.postgresUser(),
                conf.postgresPassword());
             Clickstream cs = new Clickstream(conf.kafka(), random)) {
            shop = new ShopWriter(c, random);
            clicks = cs;
            catalog = new Catalog(c);
            nextOrderId = shop.maxId("orders", "order_id") + 1;
            nextCustomerId = shop.maxId("customers", "customer_id") + 1;
            customers.addAll(shop.ids("customers", "customer_id"));
            openOrders.addAll(shop.openOrders());

            long period = (long) (1_000_000_000L / rate);
            long start = System.nanoTime();
            long end = start + duration.toNanos();
            long next = start;
            while (System.nanoTime() < end && (maxOrders == null || stats.orders < maxOrders) && events() < maxEvents
                    && !stop.getAsBoolean()) {
                long eventsBefore = events();
                step();
                next += pacedByEvents ? period * (events() - eventsBefore) : period;
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                } else if (-wait > 1_000_000_000L) {
                    // Fell more than a second behind (slow DB): don't burst to catch up.
                    next = System.nanoTime();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LOG.info("simulator finished: {}", stats);
        return stats;
    }

    private long events() {
        stats.rowsWritten = shop.rowsWritten();
        return stats.events();
    }

    private long randomCustomer() {
        return customers.get(random.nextInt(customers.size()));
    }

    /** One action, drawn by weight; the weights give a shop where browsing dominates. */
    private void step() throws SQLException {
        int roll = random.nextInt(100);
        if (roll < 62) {
            sessionStep();
        } else if (roll < 78) {
            progressOrder();
        } else if (roll < 82) {
            walkInOrder();
        } else if (roll < 86) {
            shop.restock(catalog, random.nextInt(10) < 3);
            stats.restocks++;
        } else if (roll < 89) {
            shop.changePrice(catalog);
            stats.priceChanges++;
        } else if (roll < 93) {
            customers.add(nextCustomerId);
            shop.newCustomer(nextCustomerId++);
            stats.customers++;
        } else if (roll < 97) {
            shop.editCustomer(randomCustomer());
            stats.customerEdits++;
        } else {
            shop.burst(catalog);
            stats.inventoryBursts++;
        }
    }

    private void sessionStep() throws SQLException {
        if (sessions.isEmpty() || (sessions.size() < MAX_OPEN_SESSIONS && random.nextInt(10) < 3)) {
            sessions.add(newSession());
        }
        Session s = sessions.get(random.nextInt(sessions.size()));
        advance(s);
        if (s.stage == Session.Stage.DONE) {
            sessions.remove(s);
        }
    }

    private Session newSession() {
        Long customer = random.nextInt(100) < 20 ? null : randomCustomer();
        int ch = random.nextInt(100);
        String channel = ch < 55 ? "web" : ch < 92 ? "app" : "store";
        // Anonymous visitors have no known taste: they browse whatever catches their eye.
        String category = customer == null ? catalog.categories().get(random.nextInt(catalog.categories().size()))
                : catalog.preferredCategory(customer, seed);
        return new Session("sess-" + clicks.uuid().toString().substring(0, 13), customer, channel, category,
                2 + random.nextInt(5));
    }

    private void advance(Session s) throws SQLException {
        switch (s.stage) {
            case BROWSE -> browse(s);
            case CART -> addToCart(s);
            case CHECKOUT -> {
                clicks.send(s, null, "checkout", a -> a.put("cart_size", s.cart.size()));
                stats.clicks++;
                s.stage = random.nextInt(100) < 85 ? Session.Stage.PURCHASE : Session.Stage.DONE;
            }
            case PURCHASE -> purchase(s);
            case DONE -> { }
        }
    }

    private void browse(Session s) {
        if (!s.searched && s.viewed.isEmpty() && random.nextInt(10) < 3) {
            s.searched = true;
            clicks.send(s, null, "search", a -> a.put("query", s.category));
            stats.clicks++;
            return;
        }
        String category = random.nextInt(100) < Tastes.PREFERRED_VIEW_PERCENT ? s.category
                : catalog.categories().get(random.nextInt(catalog.categories().size()));
        long product = catalog.randomProduct(random, category);
        s.viewed.add(product);
        clicks.send(s, product, "view", a -> a.put("page", "product").put("category", category));
        stats.clicks++;
        if (--s.viewsLeft <= 0) {
            s.cartTarget = 1 + random.nextInt(3);
            s.stage = random.nextInt(100) < 50 ? Session.Stage.CART : Session.Stage.DONE;
        }
    }

    private void addToCart(Session s) {
        List<Long> candidates = s.viewed.stream().distinct().filter(p -> !s.cart.containsKey(p)).toList();
        if (!candidates.isEmpty() && s.cart.size() < s.cartTarget) {
            long product = candidates.get(random.nextInt(candidates.size()));
            int quantity = random.nextInt(10) < 8 ? 1 : 2 + random.nextInt(2);
            s.cart.put(product, quantity);
            clicks.send(s, product, "add_to_cart", a -> a.put("quantity", quantity));
            stats.clicks++;
            return;
        }
        if (random.nextInt(100) < 15 && !s.cart.isEmpty()) {
            long removed = s.cart.keySet().iterator().next();
            s.cart.remove(removed);
            clicks.send(s, removed, "remove_from_cart", a -> { });
            stats.clicks++;
        }
        // Guests may fill a cart, but checking out needs an account.
        boolean checkout = !s.cart.isEmpty() && s.customerId != null && random.nextInt(100) < 70;
        s.stage = checkout ? Session.Stage.CHECKOUT : Session.Stage.DONE;
    }

    private void purchase(Session s) throws SQLException {
        s.stage = Session.Stage.DONE;
        Optional<ShopWriter.Order> order = placeOrder(s.customerId, s.channel, s.cart);
        order.ifPresent(o -> {
            clicks.send(s, null, "purchase", a -> a.put("order_id", o.orderId()).put("total", o.total().toPlainString())
                    .put("items", o.lines().size()));
            stats.clicks++;
        });
    }

    /** Orders that never touch the website: a till in the store or a phone order. */
    private void walkInOrder() throws SQLException {
        java.util.Map<Long, Integer> cart = new java.util.LinkedHashMap<>();
        int lines = 1 + random.nextInt(3);
        for (int i = 0; i < lines; i++) {
            cart.put(catalog.randomProduct(random), 1 + random.nextInt(2));
        }
        long customer = randomCustomer();
        placeOrder(customer, "store", cart);
    }

    private Optional<ShopWriter.Order> placeOrder(long customerId, String channel, java.util.Map<Long, Integer> cart)
            throws SQLException {
        Optional<ShopWriter.Order> order = shop.placeOrder(nextOrderId, customerId, channel, cart);
        if (order.isPresent()) {
            nextOrderId++;
            stats.orders++;
            openOrders.add(new ShopWriter.OpenOrder(order.get(), "created", System.nanoTime()));
        } else {
            stats.outOfStock++;
        }
        return order;
    }

    /** Moves one order that has waited long enough one step through its lifecycle. */
    private void progressOrder() throws SQLException {
        long now = System.nanoTime();
        List<ShopWriter.OpenOrder> due = openOrders.stream().filter(o -> now - o.lastMoveNanos >= MIN_STEP_NANOS)
                .toList();
        if (due.isEmpty()) {
            return;
        }
        ShopWriter.OpenOrder o = due.get(random.nextInt(due.size()));
        int roll = random.nextInt(100);
        switch (o.status) {
            case "created" -> move(o, roll < 6 ? "cancelled" : "paid");
            case "paid" -> move(o, roll < 5 ? "cancelled" : "shipped");
            case "shipped" -> move(o, "delivered");
            default -> o.status = "delivered";
        }
        o.lastMoveNanos = now;
        for (Iterator<ShopWriter.OpenOrder> it = openOrders.iterator(); it.hasNext(); ) {
            String st = it.next().status;
            if (st.equals("delivered") || st.equals("cancelled")) {
                it.remove();
            }
        }
    }

    private void move(ShopWriter.OpenOrder o, String status) throws SQLException {
        String event = switch (status) {
            case "paid" -> "PaymentConfirmed";
            case "shipped" -> "OrderShipped";
            case "delivered" -> "OrderDelivered";
            default -> "OrderCancelled";
        };
        shop.advance(o.order, status, event);
        o.status = status;
        switch (status) {
            case "paid" -> stats.paid++;
            case "shipped" -> stats.shipped++;
            case "delivered" -> stats.delivered++;
            default -> stats.cancelled++;
        }
    }
}
