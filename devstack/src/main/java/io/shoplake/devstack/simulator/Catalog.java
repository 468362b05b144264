package io.shoplake.devstack.simulator;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Product ids by category, read once: the catalogue itself never changes, only prices and stock do. */
final class Catalog {

    private final Map<String, List<Long>> byCategory = new LinkedHashMap<>();
    private final List<Long> all = new ArrayList<>();
    private final List<String> categories;

    Catalog(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select product_id, category from products order by product_id")) {
            while (rs.next()) {
                byCategory.computeIfAbsent(rs.getString(2), k -> new ArrayList<>()).add(rs.getLong(1));
                all.add(rs.getLong(1));
            }
        }
        c.commit();
        if (all.isEmpty()) {
            throw new IllegalStateException("no products in the shop database: was it seeded by `up`?");
        }
        categories = List.copyOf(byCategory.keySet());
    }

    List<String> categories() {
        return categories;
    }

    long randomProduct(Random r) {
        return all.get(r.nextInt(all.size()));
    }

    long randomProduct(Random r, String category) {
        List<Long> ids = byCategory.get(category);
        return ids.get(r.nextInt(ids.size()));
    }

    /** The hidden taste of a customer (see {@link Tastes}). */
    String preferredCategory(long customerId, long seed) {
        return Tastes.preferredCategory(customerId, seed, categories);
    }
}
