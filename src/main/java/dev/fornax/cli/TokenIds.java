package dev.fornax.cli;

import dev.fornax.FornaxException;

/** Parses {@code --tokens 1,2,3}: comma-separated decimal ids, used exactly as given (no BOS added). */
final class TokenIds {
    private TokenIds() {}

    static int[] parse(String option, String text, int vocab) {
        String trimmed = text.trim();
        if (trimmed.isEmpty()) {
            throw new FornaxException(option + " is empty; give comma-separated token ids, e.g. " + option + " 1,2,3");
        }
        String[] parts = trimmed.split(",", -1);
        int[] ids = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i].trim();
            long id;
            try {
                id = Long.parseLong(p);
            } catch (NumberFormatException e) {
                throw new FornaxException(option + ": '" + p + "' (item " + (i + 1) + ") is not a token id;"
                        + " give comma-separated decimal ids, e.g. " + option + " 1,2,3");
            }
            if (id < 0 || id >= vocab) {
                throw new FornaxException(option + ": token id " + id + " (item " + (i + 1)
                        + ") is outside the model's vocabulary [0, " + vocab + ")");
            }
            ids[i] = (int) id;
        }
        return ids;
    }
}
