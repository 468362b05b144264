package io.shoplake.devstack.postgres;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Random;

/**
 * The initial catalogue, stock and customer base. Fixed seed: every `up` starts from the same shop,
 * so Debezium's snapshot and the tests built on it are reproducible.
 */
public final class ShopSeed {

    public static final long SEED = 20261125L;
    public static final List<String> CATEGORIES =
            List.of("electronics", "home", "apparel", "beauty", "sports", "toys");
    public static final List<String> LOCATIONS = List.of("WH-EAST", "WH-WEST", "STORE-1");
    public static final int PRODUCTS = 60;
    public static final int CUSTOMERS = 200;

    private static final List<List<String>> NOUNS = List.of(
            List.of("Headphones", "Charger", "Speaker", "Keyboard", "Webcam", "Monitor", "Mouse", "Tablet",
                "Router", "Smartwatch"),
            List.of("Lamp", "Blanket", "Kettle", "Cushion", "Vase", "Towel Set", "Pan", "Mug", "Clock", "Rug"),
            List.of("T-Shirt", "Hoodie", "Jeans", "Jacket", "Sneakers", "Cap", "Scarf", "Socks", "Dress", "Belt"),
            List.of("Shampoo", "Lotion", "Serum", "Lip Balm", "Perfume", "Soap", "Face Mask", "Sunscreen",
                "Conditioner", "Brush"),
            List.of("Yoga Mat", "Dumbbell", "Water Bottle", "Tennis Ball", "Bike Light", "Jump Rope", "Helmet",
                "Backpack", "Gloves", "Tent"),
            List.of("Puzzle", "Robot", "Plush Bear", "Blocks", "Kite", "Board Game", "Race Car", "Doll",
                "Yo-Yo", "Train Set"));
    private static final List<String> ADJECTIVES =
            List.of("Classic", "Pro", "Eco", "Mini", "Deluxe", "Smart", "Urban", "Nordic", "Compact", "Premium");
    static final List<String> FIRST_NAMES = List.of("Ada", "Ben", "Chloe", "David", "Emma", "Farid", "Grace",
            "Hugo", "Ines", "Jonas", "Keiko", "Liam", "Maya", "Noah", "Olga", "Pablo", "Quinn", "Rosa", "Sami",
            "Tara", "Umar", "Vera", "Wei", "Yara", "Zoe");
    static final List<String> LAST_NAMES = List.of("Smith", "Garcia", "Muller", "Rossi", "Dubois", "Kowalski",
            "Nakamura", "Okafor", "Silva", "Jensen", "Novak", "Kim", "Haddad", "Larsen", "Costa", "Ivanova");

    private ShopSeed() {
    }

    static void insert(Connection c) throws SQLException {
        Random r = new Random(SEED);
        try (PreparedStatement p = c.prepareStatement(
                "insert into products(product_id, sku, name, category, cost, price) values (?,?,?,?,?,?)");
             PreparedStatement inv = c.prepareStatement(
                "insert into inventory(product_id, location_id, on_hand, reserved) values (?,?,?,0)")) {
            for (int id = 1; id <= PRODUCTS; id++) {
                int cat = (id - 1) % CATEGORIES.size();
                BigDecimal cost = BigDecimal.valueOf(200 + r.nextInt(19_800), 2);
                BigDecimal margin = BigDecimal.valueOf(120 + r.nextInt(80), 2);
                BigDecimal price = cost.multiply(margin).setScale(2, RoundingMode.HALF_UP);
                String noun = NOUNS.get(cat).get(((id - 1) / CATEGORIES.size()) % 10);
                p.setLong(1, id);
                p.setString(2, String.format("SKU-%04d", id));
                p.setString(3, ADJECTIVES.get(r.nextInt(ADJECTIVES.size())) + " " + noun);
                p.setString(4, CATEGORIES.get(cat));
                p.setBigDecimal(5, cost);
                p.setBigDecimal(6, price);
                p.addBatch();
                for (String loc : LOCATIONS) {
                    // About one row in eight starts out of stock, so restocks of empty rows happen.
                    int onHand = r.nextInt(8) == 0 ? 0 : 1 + r.nextInt(200);
                    inv.setLong(1, id);
                    inv.setString(2, loc);
                    inv.setInt(3, onHand);
                    inv.addBatch();
                }
            }
            p.executeBatch();
            inv.executeBatch();
        }
        try (PreparedStatement p = c.prepareStatement(
                "insert into customers(customer_id, email, phone, full_name) values (?,?,?,?)")) {
            for (int id = 1; id <= CUSTOMERS; id++) {
                Person person = Person.random(r, id);
                p.setLong(1, id);
                p.setString(2, person.email());
                p.setString(3, person.phone());
                p.setString(4, person.fullName());
                p.addBatch();
            }
            p.executeBatch();
        }
    }

    /** A made-up customer identity; also used by the simulator for sign-ups. */
    public record Person(String fullName, String email, String phone) {
        public static Person random(Random r, long id) {
            String first = FIRST_NAMES.get(r.nextInt(FIRST_NAMES.size()));
            String last = LAST_NAMES.get(r.nextInt(LAST_NAMES.size()));
            String email = (first + "." + last + id + "@example.com").toLowerCase();
            String phone = r.nextInt(5) == 0 ? null : randomPhone(r);
            return new Person(first + " " + last, email, phone);
        }

        public static String randomPhone(Random r) {
            return String.format("+1-555-%03d-%04d", r.nextInt(1000), r.nextInt(10_000));
        }
    }
}
