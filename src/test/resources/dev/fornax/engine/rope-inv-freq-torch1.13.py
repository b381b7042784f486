import math, struct, torch, json
torch.set_num_threads(1)
def default(base, dim):
    return 1.0 / (base ** (torch.arange(0, dim, 2, dtype=torch.int64).float() / dim))
def llama3(inv_freq, factor, low_freq_factor, high_freq_factor, old_context_len):
    low_freq_wavelen = old_context_len / low_freq_factor
    high_freq_wavelen = old_context_len / high_freq_factor
    wavelen = 2 * math.pi / inv_freq
    inv_freq_llama = torch.where(wavelen > low_freq_wavelen, inv_freq / factor, inv_freq)
    smooth_factor = (old_context_len / wavelen - low_freq_factor) / (high_freq_factor - low_freq_factor)
    smoothed_inv_freq = (1 - smooth_factor) * inv_freq_llama / factor + smooth_factor * inv_freq_llama
    is_medium_freq = ~(wavelen < high_freq_wavelen) * ~(wavelen > low_freq_wavelen)
    return torch.where(is_medium_freq, smoothed_inv_freq, inv_freq_llama)
cases=[]
for theta in [10000.0, 500000.0, 1000000.0]:
    for dim in [6, 8, 16, 32, 40, 64, 80, 96, 128, 160, 192, 256]:
        cases.append(("none", theta, dim, None))
for (theta, dim) in [(500000.0,16),(500000.0,64),(500000.0,128),(10000.0,8)]:
    cases.append(("llama3", theta, dim, (32.0,1.0,4.0,8192)))
    cases.append(("llama3", theta, dim, (8.0,1.0,4.0,8192)))
for (theta, dim) in [(10000.0,16),(10000.0,64)]:
    cases.append(("linear", theta, dim, 4.0))
    cases.append(("linear", theta, dim, 2.5))
for kind, theta, dim, p in cases:
    inv = default(theta, dim)
    if kind=="llama3": inv = llama3(inv, *p)
    if kind=="linear": inv = inv / p
    bits = " ".join("%08x" % struct.unpack("<I", struct.pack("<f", float(x)))[0] for x in inv.tolist())
    ps = "" if p is None else (" ".join(str(v) for v in p) if isinstance(p, tuple) else str(p))
    print(f"{kind} {theta} {dim} [{ps}] {bits}")
