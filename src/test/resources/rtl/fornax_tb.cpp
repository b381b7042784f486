// Minimal Verilator runner for RTL tests: feeds tokens to fornax_top, collects every logit and the
// prediction per token, counts cycles from acceptance to prediction valid.
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

#ifdef FORNAX_DRAM
// AXI4 read slave over the DRAM image: bursts queue up, data follows LATENCY cycles after AR.
struct Burst { uint64_t addr; unsigned len; uint64_t ready_at; unsigned beat; };
template <typename T> static void put_data(T& dst, const uint8_t* p, unsigned bytes) {
    if constexpr (std::is_integral<T>::value) { T v = 0; std::memcpy(&v, p, bytes); dst = v; }
    else { for (unsigned w = 0; w < bytes / 4; w++) { uint32_t v; std::memcpy(&v, p + 4 * w, 4); dst[w] = v; } }
}
#endif

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
#ifdef FORNAX_DRAM
    std::vector<uint8_t> dram;
    {
        FILE* df = fopen(FORNAX_DRAM_IMAGE, "rb");
        if (!df) { perror(FORNAX_DRAM_IMAGE); return 2; }
        fseek(df, 0, SEEK_END); long n = ftell(df); fseek(df, 0, SEEK_SET);
        dram.resize(n + 4096);
        if (fread(dram.data(), 1, n, df) != (size_t) n) { perror("read"); return 2; }
        fclose(df);
    }
    const unsigned BEAT = FORNAX_AXI_DW / 8;
    std::deque<Burst> bursts;
    uint64_t rbeats = 0;
#endif
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
#ifdef FORNAX_DRAM
        top->m_axi_arready = (stall > 0 && rand() % 100 < stall) ? 0 : (bursts.size() < 8);
        bool have = !bursts.empty() && bursts.front().ready_at <= cyc;
        top->m_axi_rvalid = have && !(stall > 0 && rand() % 100 < stall);
        if (have) {
            Burst& b = bursts.front();
            put_data(top->m_axi_rdata, dram.data() + b.addr + (uint64_t) b.beat * BEAT, BEAT);
            top->m_axi_rlast = b.beat == b.len;
        }
        top->m_axi_rresp = 0;
#endif
        top->clk = 0;
        top->eval();
#ifdef FORNAX_DRAM
        bool ar_hs = top->m_axi_arvalid && top->m_axi_arready;
        Burst nb{(uint64_t) top->m_axi_araddr, (unsigned) top->m_axi_arlen, cyc + 8, 0};
        bool r_hs = top->m_axi_rvalid && top->m_axi_rready;
#endif
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
#ifdef FORNAX_DRAM
        if (r_hs) { rbeats++; Burst& b = bursts.front(); if (b.beat == b.len) bursts.pop_front(); else b.beat++; }
        if (ar_hs) bursts.push_back(nb);
#endif
        if (tok_hs) { busy = true; start = cyc; next++; logits.clear(); pred_seen = false; }
        if (pred_hs) busy = false;
        if (cyc > limit) { fprintf(stderr, "timeout\n"); return 1; }
    }
#ifdef FORNAX_DRAM
    fprintf(out, "END %llu %llu\n", (unsigned long long) cyc, (unsigned long long) rbeats);
#else
    fprintf(out, "END %llu\n", (unsigned long long) cyc);
#endif
    fclose(out);
    top->final();
    delete top;
    return 0;
}
