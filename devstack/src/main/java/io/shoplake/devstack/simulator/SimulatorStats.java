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
    long rowsWritten;

    public int orders() {
        return orders;
    }

    /** Events the run sent to Kafka, directly (clicks) or through CDC (changed rows, outbox rows). */
    public long events() {
        return rowsWritten + clicks;
    }

    public String doneLine() {
        return "SIMULATOR DONE orders=" + orders + " cancelled=" + cancelled + " shipped=" + shipped
                + " restocks=" + restocks + " price_changes=" + priceChanges + " customers=" + customers
                + " clicks=" + clicks + " events=" + events();
    }

    @Override
    public String toString() {
        return doneLine() + " (paid=" + paid + " delivered=" + delivered + " customer_edits=" + customerEdits
                + " inventory_bursts=" + inventoryBursts + " out_of_stock=" + outOfStock + ")";
    }
}
