package dev.fornax;

/**
 * A problem the user can fix (bad file, bad option, missing tool). The CLI prints only the message,
 * on one line, and exits non-zero; so the message must name the file or option and say what is wrong.
 */
public class FornaxException extends RuntimeException {
    public FornaxException(String message) {
        super(message);
    }

    public FornaxException(String message, Throwable cause) {
        super(message, cause);
    }
}
