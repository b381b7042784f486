// Minimal Verilator runner for RTL tests of rom designs (dram designs run in their own harness,
// tb/fornax_harness.cpp): feeds tokens to fornax_top, collects every logit and the prediction per
// token, counts cycles from acceptance to prediction valid.
// usage: Vfornax_top TOKENS OUT [STALL_PERCENT]
//   TOKENS: lines "token first" ; OUT: per token "P pred cycles" then vocab lines of logits.
// Run with the design directory as working directory (mem/ paths are relative).
#include <verilated.h>
#include "Vfornax_top.h"
#include <cstdio>
#include <cstdlib>
#include <cstdint>
#include <vector>
#include <deque>
#include <cstring>
#include <type_traits>

int main(int argc, char** argv) {
    if (argc < 3) { fprintf(stderr, "usage: %s TOKENS OUT [STALL_PERCENT]\n", argv[0]); return 2; }
    Verilated::commandArgs(1, argv);
    int stall = argc > 3 ? atoi(argv[3]) : 0;
    FILE* tf = fopen(argv[1], "r");
    if (!tf) { perror(argv[1]); return 2; }
    std::vector<int> toks, firsts;
    int t, f;
    while (fscanf(tf, "%d %d", &t, &f) == 2) { toks.push_back(t); firsts.push_back(f); }
    fclose(tf);
    FILE* out = fopen(argv[2], "w");
    if (!out) { perror(argv[2]); return 2; }
    srand(12345);
    Vfornax_top* top = new Vfornax_top;
    uint64_t cyc = 0;
    top->rst = 1;
    top->s_tok_tvalid = 0;
    top->m_logit_tready = 0;
    top->m_pred_tready = 0;
    for (int i = 0; i < 5; i++) { top->clk = 0; top->eval(); top->clk = 1; top->eval(); }
    top->rst = 0;
    size_t next = 0;
    uint64_t start = 0;
    bool busy = false, pred_seen = false;
    std::vector<int32_t> logits;
    uint64_t limit = 4000000000ULL;
    while (next < toks.size() || busy) {
        if (!busy) {
            top->s_tok_tvalid = 1;
            top->s_tok_tdata = toks[next];
            top->s_tok_tuser = firsts[next];
        } else {
            top->s_tok_tvalid = 0;
        }
        top->m_logit_tready = (stall > 0 && rand() % 100 < stall) ? 0 : 1;
        top->m_pred_tready = (stall > 0 && rand() % 100 < stall) ? 0 : 1;
        top->clk = 0;
        top->eval();
        bool tok_hs = top->s_tok_tvalid && top->s_tok_tready;
        if (top->m_logit_tvalid && top->m_logit_tready) logits.push_back((int32_t) top->m_logit_tdata);
        uint64_t pcycles = 0;
        bool pred_hs = top->m_pred_tvalid && top->m_pred_tready;
        if (top->m_pred_tvalid && !pred_seen) { pred_seen = true; pcycles = cyc - start; 
            fprintf(out, "P %d %llu\n", (int) top->m_pred_tdata, (unsigned long long) pcycles);
            for (int32_t v : logits) fprintf(out, "%d\n", v);
        }
        if (top->overflow && !busy) { fprintf(out, "OVERFLOW\n"); break; }
        top->clk = 1;
        top->eval();
        cyc++;
        if (tok_hs) { busy = true; start = cyc; next++; logits.clear(); pred_seen = false; }
        if (pred_hs) busy = false;
        if (cyc > limit) { fprintf(stderr, "timeout\n"); return 1; }
    }
    fprintf(out, "END %llu\n", (unsigned long long) cyc);
    fclose(out);
    top->final();
    delete top;
    return 0;
}
