import torch, math
torch.set_num_threads(1)
x = torch.tensor([0.5, -1.25, 2.0, 0.125, -3.5, 0.75], dtype=torch.float32)
w = torch.tensor([1.1, 0.9, -0.2, 1.5, 0.3, 1.0], dtype=torch.float32)
eps = 1e-6
# LlamaRMSNorm
var = x.pow(2).mean(-1, keepdim=True)
xn = x * torch.rsqrt(var + eps)
print("llama", [repr(v) for v in (w * xn).tolist()])
# GemmaRMSNorm
print("gemma", [repr(v) for v in (xn * (1.0 + w.float())).tolist()])
g = torch.tensor([-3.0, -1.0, -0.1, 0.0, 0.5, 1.0, 2.5], dtype=torch.float32)
print("gelu_tanh", [repr(v) for v in torch.nn.functional.gelu(g, approximate="tanh").tolist()])
print("gelu_erf", [repr(v) for v in torch.nn.functional.gelu(g).tolist()])
print("silu", [repr(v) for v in torch.nn.functional.silu(g).tolist()])
s = torch.tensor([1.0, -2.0, 0.5, 3.0, -1e4], dtype=torch.float32)
print("softmax", [repr(v) for v in torch.softmax(s, -1).tolist()])
# rotate-half rope on one head of 8 at position 3, theta 10000
q = torch.tensor([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8], dtype=torch.float32)
inv = 1.0 / (10000.0 ** (torch.arange(0, 8, 2, dtype=torch.int64).float() / 8))
freqs = inv * 3.0
emb = torch.cat((freqs, freqs))
def rotate_half(t):
    return torch.cat((-t[4:], t[:4]))
print("rope", [repr(v) for v in (q * emb.cos() + rotate_half(q) * emb.sin()).tolist()])
print("cos", [repr(v) for v in emb.cos().tolist()[:4]], "sin", [repr(v) for v in emb.sin().tolist()[:4]])
