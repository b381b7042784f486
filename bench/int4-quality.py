#!/usr/bin/env python3
"""int4 vs int8 quality table: `fornax eval --weight-bits 4 --group-size G --json` on stories260K and the
four HF fixtures (../shared/fixtures/hf), every reference sequence teacher-forced; prints a markdown table.
Usage: bench/int4-quality.py [G ...]   (default G = 32). Run from the repository root."""
import json, os, subprocess, sys, glob

FIX = os.environ.get('FORNAX_FIXTURES', '/work/shared/fixtures/hf')
RUNC = 'src/test/resources/dev/fornax/engine/llama2c-runc'

def evaluate(model, args, g):
    out = subprocess.run(['./fornax', 'eval', model, *args, '--weight-bits', '4', '--group-size', str(g), '--json'],
                         capture_output=True, text=True, check=True).stdout
    return json.loads(out)

def seqs(model_dir):
    for f in sorted(glob.glob(os.path.join(model_dir, 'ref', 'seq*.ids.txt'))):
        ids = open(f).read().replace('\n', ' ').replace(',', ' ').split()
        yield ['--tokens', ','.join(ids)]

def agg(rows, key):
    n = sum(r['positions'] for r in rows)
    def w(k): return sum(r[k] * r['positions'] for r in rows) / n
    return {
        'positions': n,
        'top1': sum(r['top1_matches'] for r in rows),
        'conf': (sum(r['confident_matches'] for r in rows), sum(r['confident_positions'] for r in rows)),
        'cos_mean': w('cosine_mean'), 'cos_min': min(r['cosine_min'] for r in rows),
        'd_mean': w('mean_abs_delta'), 'd_max': max(r['max_abs_delta'] for r in rows),
        'kl': w('kl_mean'),
    }

def main():
    gs = [int(a) for a in sys.argv[1:]] or [32]
    models = [('stories260K', 'models/stories260K/stories260K.bin',
               [['--prompt', 'Once upon a time', '--greedy', '63']] +
               [['--tokens', ','.join(open(f).read().split())] for f in sorted(glob.glob(RUNC + '/seq*.ids.txt'))])]
    for name in ['llama', 'qwen2', 'phi3', 'gemma']:
        models.append((name, os.path.join(FIX, name), list(seqs(os.path.join(FIX, name)))))
    print('| model | G | positions | top-1 int8 / int4 | lead>=0.5 int8 / int4 | cosine mean/min int8 | cosine mean/min int4 | |Δ| mean/max int8 | |Δ| mean/max int4 | KL mean int8 / int4 |')
    print('|---|---|---|---|---|---|---|---|---|---|')
    for name, path, runs in models:
        for g in gs:
            res = [evaluate(path, a, g) for a in runs]
            a8 = agg(res, None)
            a4 = agg([r['int4'] for r in res], None)
            n = a8['positions']
            print(f"| {name} | {g} | {n} | {100*a8['top1']/n:.2f}% / {100*a4['top1']/n:.2f}% | "
                  f"{a8['conf'][0]}/{a8['conf'][1]} / {a4['conf'][0]}/{a4['conf'][1]} | "
                  f"{a8['cos_mean']:.6f} / {a8['cos_min']:.6f} | {a4['cos_mean']:.6f} / {a4['cos_min']:.6f} | "
                  f"{a8['d_mean']:.4f} / {a8['d_max']:.4f} | {a4['d_mean']:.4f} / {a4['d_max']:.4f} | "
                  f"{a8['kl']:.1e} / {a4['kl']:.1e} |", flush=True)

main()
