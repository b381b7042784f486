package dev.fornax.golden;

import java.util.List;

/**
 * int8 golden model against the float engine, teacher-forced on the same tokens (see
 * {@link QualityMeter}). Logit deltas are in logit units; the int8 logits are the dequantised Q16
 * values. JSON keys are the component names, in this order.
 *
 * @param positions          logits rows compared
 * @param top1Matches        rows where both argmaxes agree
 * @param top1Agreement      top1Matches / positions
 * @param confidentPositions rows where the float top-1 leads its runner-up by ≥ 0.5
 * @param confidentMatches   agreements among those
 * @param confidentAgreement confidentMatches / confidentPositions (NaN when there are none)
 * @param cosineMean         mean per-row cosine of the two logit vectors
 * @param cosineMin          smallest per-row cosine
 * @param meanAbsDelta       mean |float − int8| over every logit of every row
 * @param maxAbsDelta        largest |float − int8|
 * @param klMean             mean per-row KL(float ‖ int8) in nats
 * @param klMax              largest per-row KL
 * @param perplexityFloat    exp(mean NLL) of the sequence's next tokens under the float model
 * @param perplexityInt8     the same under the int8 model
 * @param hiddenCosine       per layer: cosine of the residual stream after it (mean, min over rows)
 * @param disagreements      every row where the argmaxes differ
 * @param rows               every row's own figures, in order (the report plots them along the sequence)
 */
public record QualityReport(
        int positions,
        int top1Matches,
        double top1Agreement,
        int confidentPositions,
        int confidentMatches,
        double confidentAgreement,
        double cosineMean,
        double cosineMin,
        double meanAbsDelta,
        double maxAbsDelta,
        double klMean,
        double klMax,
        double perplexityFloat,
        double perplexityInt8,
        List<LayerCosine> hiddenCosine,
        List<Disagreement> disagreements,
        List<Row> rows) {

    public QualityReport {
        hiddenCosine = List.copyOf(hiddenCosine);
        disagreements = List.copyOf(disagreements);
        rows = List.copyOf(rows);
    }

    /** Cosine of the residual stream after one layer, over all rows. */
    public record LayerCosine(int layer, double mean, double min) {}

    /** One logits row: logit cosine, KL(float ‖ int8) in nats, largest |Δlogit|, both argmaxes, the float lead. */
    public record Row(int sequence, int position, double cosine, double kl, double maxAbsDelta, int floatTop1,
            int int8Top1, double floatLead) {}

    /** A row where the int8 argmax differs from the float one. */
    public record Disagreement(int sequence, int position, int floatTop1, int int8Top1, double floatLead) {}
}
