package dev.fornax.tokenizer.hf;

import dev.fornax.tokenizer.IntList;
import java.util.List;

/** Adds the special tokens around an encoded sequence (HF {@code processors}), when asked to. */
sealed interface PostProcessor {
    int[] apply(int[] ids, boolean addSpecialTokens);

    /** Changes no ids (HF {@code ByteLevel} processing only trims offsets). */
    record Identity() implements PostProcessor {
        @Override
        public int[] apply(int[] ids, boolean addSpecialTokens) {
            return ids;
        }
    }

    /** HF {@code TemplateProcessing}, single-sequence template: special ids and the sequence, in order. */
    record Template(List<Item> items) implements PostProcessor {
        sealed interface Item {}

        /** The encoded text ($A). */
        record Text() implements Item {}

        /** A special token's ids. */
        record Special(String name, int[] ids) implements Item {}

        public Template {
            items = List.copyOf(items);
        }

        @Override
        public int[] apply(int[] ids, boolean addSpecialTokens) {
            if (!addSpecialTokens) {
                return ids;
            }
            IntList out = new IntList();
            for (Item item : items) {
                out.addAll(item instanceof Special special ? special.ids() : ids);
            }
            return out.toArray();
        }
    }

    record Sequence(List<PostProcessor> processors) implements PostProcessor {
        public Sequence {
            processors = List.copyOf(processors);
        }

        @Override
        public int[] apply(int[] ids, boolean addSpecialTokens) {
            for (PostProcessor p : processors) {
                ids = p.apply(ids, addSpecialTokens);
            }
            return ids;
        }
    }
}
