package io.shoplake.devstack.simulator;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One browsing visit: a few views, then maybe a cart, a checkout and a purchase. */
final class Session {

    enum Stage { BROWSE, CART, CHECKOUT, PURCHASE, DONE }

    final String sessionId;
    final Long customerId;
    final String channel;
    final String category;
    Stage stage = Stage.BROWSE;
    int viewsLeft;
    int cartTarget;
    boolean searched;
    final List<Long> viewed = new ArrayList<>();
    /** product id → quantity, in the order added. */
    final Map<Long, Integer> cart = new LinkedHashMap<>();

    Session(String sessionId, Long customerId, String channel, String category, int views) {
        this.sessionId = sessionId;
        this.customerId = customerId;
        this.channel = channel;
        this.category = category;
        this.viewsLeft = views;
    }
}
