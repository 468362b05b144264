package io.shoplake.models.scoring;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * What scoring needs besides the model.
 *
 * @param customers {@code user_id}: who gets recommendations
 * @param interactions {@code user_id, item_id, confidence}: current behaviour, for popularity and
 *     the categories of customers the model does not know
 * @param bought {@code user_id, item_id}: never recommended again to that customer
 * @param products {@code item_id, category}: the catalogue
 * @param unavailable {@code item_id}: products nobody can buy anywhere, never recommended
 */
public record ScoringInputs(Dataset<Row> customers, Dataset<Row> interactions, Dataset<Row> bought,
    Dataset<Row> products, Dataset<Row> unavailable) {}
