/**
 * Reading models into the IR, and writing random ones.
 *
 * <h2>Sources</h2>
 * <ul>
 *   <li>HF directories: {@code config.json} (+ {@code generation_config.json} for eos ids) read by
 *       {@link dev.fornax.model.HfConfig} as transformers v4.44 reads it; weights in
 *       {@code model.safetensors} or the shards of {@code model.safetensors.index.json}. Every tensor
 *       is looked up by name and checked against the shape the config implies; a missing, misshapen or
 *       unexpected tensor is an error naming it.</li>
 *   <li>GGUF files (llama.cpp): {@link dev.fornax.model.GgufModelReader} maps the {@code <arch>.*}
 *       metadata to a spec and the llama.cpp tensor names to the canonical layout, undoing what the
 *       converter did ({@link dev.fornax.model.GgufArchitecture}); tensors of any ggml type that
 *       {@link dev.fornax.gguf.Dequantizer} decodes are dequantised a row at a time, bit-exact with
 *       ggml.</li>
 *   <li>llama2.c legacy checkpoints ({@code .bin}): the header must account for the file size
 *       exactly; q/k rows are permuted from interleaved pairs to HF's rotate-half layout.</li>
 * </ul>
 *
 * <h2>Memory</h2>
 * Nothing is copied into the heap at load time except norm and bias vectors: each tensor is
 * memory-mapped over its own byte range ({@link dev.fornax.model.MappedMatrix}, in chunks of at
 * most 1 GiB of whole rows, so files and tensors over 2 GiB work) and decoded to float32 a row at a
 * time. BF16, F16 (subnormals kept) and F32 decode exactly with {@link dev.fornax.model.HalfFloats}.
 *
 * <h2>NaN and infinite weights</h2>
 * Vectors (norms, biases) are checked when loaded: loading fails. Matrices are checked lazily, the
 * first time each row is read; the read throws a {@link dev.fornax.FornaxException} such as
 * "tensor 'model.layers.1.self_attn.k_proj.weight' contains NaN at row 3, column 5". So the float
 * engine and the quantizer fail on the first bad row they touch, and {@code fornax inspect} (which
 * reads every weight through {@link dev.fornax.model.WeightCheck} unless {@code --no-check}) reports
 * it up front.
 *
 * <h2>Random models</h2>
 * {@link dev.fornax.model.TinyWriter} writes HF-format models with the real families' config fields,
 * small dimensions or the exact dimensions of real checkpoints ({@link dev.fornax.model.TinyModel}
 * presets), streamed row by row and deterministic for a seed.
 */
package dev.fornax.model;
