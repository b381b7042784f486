package dev.fornax.engine;

/** Why generation ended: the token budget ran out, or the model produced an end-of-sequence id. */
public enum StopReason {
    LENGTH("length"),
    EOS("eos");

    private final String label;

    StopReason(String label) {
        this.label = label;
    }

    /** The name used in the CLI's JSON ({@code stop_reason}). */
    public String label() {
        return label;
    }
}
