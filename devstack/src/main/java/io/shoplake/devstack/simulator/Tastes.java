package io.shoplake.devstack.simulator;

import java.util.List;

/**
 * The simulator's hidden customer tastes, public so that model tests can plant the same
 * preferences in data they generate without a running shop.
 */
public final class Tastes {
    /** Share of a known customer's product views that fall in their preferred category. */
    public static final int PREFERRED_VIEW_PERCENT = 70;

    private Tastes() {}

    /** A pure function of id and seed, never stored, so a model can only learn it from behaviour. */
    public static String preferredCategory(long customerId, long seed, List<String> categories) {
        long h = (customerId * 0x9E3779B97F4A7C15L) ^ seed;
        h ^= h >>> 31;
        h *= 0xBF58476D1CE4E5B9L;
        h ^= h >>> 29;
        return categories.get((int) Math.floorMod(h, (long) categories.size()));
    }
}
