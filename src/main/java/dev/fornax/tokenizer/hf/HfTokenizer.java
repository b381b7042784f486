package dev.fornax.tokenizer.hf;

import dev.fornax.FornaxException;
import dev.fornax.tokenizer.IntList;
import dev.fornax.tokenizer.Tokenizer;
import java.nio.file.Path;
import java.util.List;

/**
 * A HuggingFace {@code tokenizer.json} tokenizer with a BPE model, computing what the {@code tokenizers}
 * library computes: added tokens → normalizer → pre-tokenizer → BPE → post-processor, and the decoder
 * chain on the way back. Load it with {@link #load}.
 */
public final class HfTokenizer implements Tokenizer {
    private final Path source;
    private final AddedVocabulary added;
    private final Normalizer normalizer; // null: none
    private final PreTokenizer preTokenizer; // null: none
    private final BpeModel model;
    private final PostProcessor postProcessor;
    private final DecodePipeline decoder;
    private final int vocabSize;

    HfTokenizer(Path source, AddedVocabulary added, Normalizer normalizer, PreTokenizer preTokenizer,
            BpeModel model, PostProcessor postProcessor, Decoder decoder) {
        this.source = source;
        this.added = added;
        this.normalizer = normalizer;
        this.preTokenizer = preTokenizer;
        this.model = model;
        this.postProcessor = postProcessor;
        this.decoder = new DecodePipeline(decoder);
        this.vocabSize = Math.max(model.idLimit(), added.maxId() + 1);
    }

    /**
     * Loads {@code tokenizer.json}; {@code tokenizerConfig} ({@code tokenizer_config.json}, may be null)
     * decides BOS/EOS for the tokenizer classes whose transformers implementation rebuilds the
     * post-processor from {@code add_bos_token}/{@code add_eos_token} (Llama, CodeLlama, Gemma).
     */
    public static HfTokenizer load(Path tokenizerJson, Path tokenizerConfig) {
        return TokenizerJsonReader.read(tokenizerJson, tokenizerConfig);
    }

    @Override
    public int[] encode(String text, boolean addSpecial) {
        try {
            return encodeUnbounded(text, addSpecial);
        } catch (OnigRegex.BudgetExceeded e) {
            throw new FornaxException(source + ": " + e.getMessage());
        } catch (FornaxException e) {
            // what the model finds only while encoding (an unk_token missing from the vocabulary)
            // names the file it came from
            if (source != null && !e.getMessage().contains(source.toString())) {
                throw new FornaxException(source + ": " + e.getMessage(), e);
            }
            throw e;
        }
    }

    private int[] encodeUnbounded(String text, boolean addSpecial) {
        IntList ids = new IntList();
        for (AddedVocabulary.Segment segment : added.split(text, normalizer)) {
            if (segment.tokenId() >= 0) {
                ids.add(segment.tokenId());
                continue;
            }
            List<PreTokenizer.Piece> pieces = List.of(new PreTokenizer.Piece(segment.text(), segment.atStart()));
            if (preTokenizer != null) {
                pieces = preTokenizer.apply(pieces);
            }
            for (PreTokenizer.Piece piece : pieces) {
                model.tokenize(piece.text(), ids);
            }
        }
        return postProcessor.apply(ids.toArray(), addSpecial);
    }

    @Override
    public String decode(int[] ids, boolean skipSpecialTokens) {
        StreamDecoder stream = streamDecoder(skipSpecialTokens);
        StringBuilder out = new StringBuilder();
        for (int id : ids) {
            out.append(stream.next(id));
        }
        return out.append(stream.finish()).toString();
    }

    @Override
    public StreamDecoder streamDecoder(boolean skipSpecialTokens) {
        DecodePipeline.Run run = decoder.start();
        return new StreamDecoder() {
            @Override
            public String next(int id) {
                AddedToken addedToken = added.token(id);
                if (addedToken != null) {
                    return skipSpecialTokens && addedToken.special() ? "" : push(addedToken.content());
                }
                String token = model.token(id);
                if (token == null) {
                    throw new FornaxException("token id " + id + " is not in the vocabulary of " + source
                            + " (ids 0.." + (vocabSize - 1) + ")");
                }
                return push(token);
            }

            private String push(String token) {
                try {
                    return run.push(token);
                } catch (OnigRegex.BudgetExceeded e) {
                    throw new FornaxException(source + ": decoder: " + e.getMessage());
                }
            }

            @Override
            public String finish() {
                try {
                    return run.finish();
                } catch (OnigRegex.BudgetExceeded e) {
                    throw new FornaxException(source + ": decoder: " + e.getMessage());
                }
            }
        };
    }

    @Override
    public int vocabSize() {
        return vocabSize;
    }

    @Override
    public Path file() {
        return source;
    }

    @Override
    public String describe(int id) {
        AddedToken t = added.token(id);
        return t == null ? "token id " + id : "added token \"" + dev.fornax.io.JsonFiles.shorten(t.content(), 60)
                + "\" (id " + id + ")";
    }

    @Override
    public String toString() {
        return "HfTokenizer[" + source + ", vocab " + vocabSize + ", merges " + model.mergeCount() + "]";
    }
}
