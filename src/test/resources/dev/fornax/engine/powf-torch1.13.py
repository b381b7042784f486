# torch 1.13 (AVX2, SLEEF 3.5.1) pow(float32 base, float32 exponent) over vectorised tensors.
import torch, struct
torch.set_num_threads(1)
def h(x): return "%08x" % struct.unpack("<I", struct.pack("<f", x))[0]
for base in [10000.0, 500000.0, 1000000.0, 2.0, 0.7, 123.456]:
    e = torch.arange(0, 512, dtype=torch.int64).float() / 512 * 4 - 1.5   # exponents in [-1.5, 2.5)
    p = torch.tensor(base, dtype=torch.float32) ** e
    for ei, pi in zip(e.tolist(), p.tolist()):
        print(h(base), h(ei), h(pi))
