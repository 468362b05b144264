package io.shoplake.devstack.simulator;

/** What the simulator did, printed as the single machine-readable closing line. */
public final class SimulatorStats {
    int orders;
    int cancelled;
    int shipped;
    int delivered;
    int paid;
    int restocks;
    int priceChanges;
    int customers;
    int customerEdits;
    int inventoryBursts;
    int clicks;
    int outOfStock;

    public int orders() {
        return orders;
    }

    public String doneLine() {
        return "SIMULATOR DONE orders=" + orders + " cancelled=" + cancelled + " shipped=" + shipped
                + " restocks=" + restocks + " price_changes=" + priceChanges + " customers=" + customers
                + " clicks=" + clicks;
    }

    @Override
    public String toString() {
        return doneLine() + " (paid=" + paid + " delivered=" + delivered + " customer_edits=" + customerEdits
                + " inventory_bursts=" + inventoryBursts + " out_of_stock=" + outOfStock + ")";
    }
}
