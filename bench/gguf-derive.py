#!/usr/bin/env python3
# Run outside CI: python3 (with gguf-py 0.19.0 and numpy) bench/gguf-derive.py src/test/resources/gguf OUTDIR,
# then FORNAX_GGUF_DIR=OUTDIR mvn test -Dtest=GgufFixturesTest. Results: bench/RESULTS.md.
# Derives f32 and q8_0 copies of the committed converter-made GGUF fixtures with llama.cpp's own
# gguf-py 0.19.0 (GGUFReader/GGUFWriter, gguf.quants) and F32 copies of the dequantised tensors of
# every quantised file; writes fixtures.tsv for GgufFixturesTest (FORNAX_GGUF_DIR).
import hashlib, os, sys
import numpy as np
import gguf
from gguf import GGMLQuantizationType as T

src, out = sys.argv[1], sys.argv[2]

def copy(path, dst, transform):
    r = gguf.GGUFReader(path)
    arch = r.fields["general.architecture"].contents()
    w = gguf.GGUFWriter(dst, arch)
    for k, f in r.fields.items():
        if k.startswith("GGUF.") or k == "general.architecture":
            continue
        vt = f.types[0]
        sub = f.types[-1] if vt == gguf.GGUFValueType.ARRAY else None
        w.add_key_value(k, f.contents(), vt, sub_type=sub)
    for t in r.tensors:
        data, dtype = transform(t)
        if dtype is None:
            w.add_tensor(t.name, data)
        else:
            w.add_tensor(t.name, data, raw_dtype=dtype)
    w.write_header_to_file(); w.write_kv_data_to_file(); w.write_tensors_to_file(); w.close()

def f32(t):
    return np.ascontiguousarray(gguf.quants.dequantize(t.data, t.tensor_type).astype(np.float32)), None

def q8(t):
    x = gguf.quants.dequantize(t.data, t.tensor_type).astype(np.float32)
    if len(t.shape) == 2 and int(t.shape[0]) % 32 == 0 and not t.name.endswith("norm.weight"):
        return gguf.quants.quantize(x, T.Q8_0), T.Q8_0
    return np.ascontiguousarray(x), None

def sha_file(path):
    r = gguf.GGUFReader(path)
    with open(path + ".dequant.sha256", "w") as o:
        for t in r.tensors:
            x = gguf.quants.dequantize(t.data, t.tensor_type).astype("<f4", copy=False)
            o.write("%s %s %s\n" % (t.name, t.tensor_type.name, hashlib.sha256(np.ascontiguousarray(x).tobytes()).hexdigest()))

rows = []
hf = {"llama-bf16.gguf": "fixtures/hf/llama", "qwen2_f16-f16.gguf": "fixtures/hf/qwen2/f16",
      "phi3-bf16.gguf": "fixtures/hf/phi3", "gemma-bf16.gguf": "fixtures/hf/gemma"}
for name, ref in hf.items():
    base = name.split("-")[0].split("_")[0]
    copy(os.path.join(src, name), os.path.join(out, base + "-f32.gguf"), f32)
    rows.append((base + "-f32.gguf", ref, "hf"))
    q = base + "-q8_0.gguf"
    copy(os.path.join(src, name), os.path.join(out, q), q8)
    sha_file(os.path.join(out, q))
    rows.append((q, ref, "dequant"))
    copy(os.path.join(out, q), os.path.join(out, q + ".f32.gguf"), f32)
    rows.append((q, "gguf:" + q + ".f32.gguf", "same"))
for name in ["llama-Q2_K.gguf", "k-llama-Q2_K.gguf", "phi3-Q4_0.gguf", "phi3-Q4_1.gguf", "phi3-Q5_1.gguf",
             "k-gemma-Q4_K_S.gguf", "stories260K-Q4_K_M.gguf"]:
    os.symlink(os.path.join(src, name), os.path.join(out, name))
    copy(os.path.join(src, name), os.path.join(out, name + ".f32.gguf"), f32)
    rows.append((name, "gguf:" + name + ".f32.gguf", "same"))
with open(os.path.join(out, "fixtures.tsv"), "w") as o:
    o.write("# derived with gguf-py 0.19.0 from the committed fixtures (contact, bench/gguf-derive.py)\n")
    for r in rows:
        o.write("\t".join(r) + "\n")
print("\n".join("\t".join(r) for r in rows))
