package dev.fornax.ir;

import java.util.Arrays;
import java.util.stream.Collectors;

/** The transformer families Fornax supports, named by their HF {@code model_type}. */
public enum Architecture {
    LLAMA("llama"),
    QWEN2("qwen2"),
    QWEN3("qwen3"),
    PHI3("phi3"),
    GEMMA("gemma");

    private final String modelType;

    Architecture(String modelType) {
        this.modelType = modelType;
    }

    public String modelType() {
        return modelType;
    }

    /** Returns null when unknown; callers turn that into an error listing {@link #supported()}. */
    public static Architecture fromModelType(String modelType) {
        for (Architecture a : values()) {
            if (a.modelType.equals(modelType)) {
                return a;
            }
        }
        return null;
    }

    public static String supported() {
        return Arrays.stream(values()).map(Architecture::modelType).collect(Collectors.joining(", "));
    }
}
