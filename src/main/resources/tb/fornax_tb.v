// Fornax Icarus testbench (copied verbatim by dev.fornax.sim.TestbenchWriter; the design-specific
// constants live in fornax_tb_config.vh). It behaves exactly as fornax_harness.cpp: same phases per
// cycle, same splitmix64 draws in the same order, same result file. Simulation-only code.
//
// Plusargs: +tokens=1,2,3[/4,5] +n=N +eos=2[,3] +ignore_eos +stall=P +seed=S +out=FILE +wave=FILE
//           +dram=FILE +axi_latency=N +timeout=CYCLES
`timescale 1ns / 1ps
`include "fornax_tb_config.vh"

module fornax_tb;
    localparam integer MAX_TOKENS = 8192;
    localparam integer MAX_SEQS = 64;
    localparam integer STR_BYTES = 16384;
    localparam [31:0] TAG_POSITION = 32'd1;
    localparam [31:0] TAG_END = 32'd2;
    localparam [31:0] ST_OK = 0, ST_TIMEOUT = 1, ST_PROTOCOL = 2, ST_OVERFLOW = 3, ST_AXI = 4, ST_USAGE = 5;

    reg clk, rst;
    reg s_tok_tvalid, s_tok_tuser;
    reg [`FORNAX_TOK_W-1:0] s_tok_tdata;
    wire s_tok_tready;
    wire m_logit_tvalid, m_logit_tlast;
    reg m_logit_tready;
    wire [31:0] m_logit_tdata;
    wire m_pred_tvalid;
    reg m_pred_tready;
    wire [`FORNAX_TOK_W-1:0] m_pred_tdata;
    wire overflow;

`ifdef FORNAX_DRAM
    localparam integer BEAT = `FORNAX_AXI_DW / 8;
    wire [`FORNAX_AXI_AW-1:0] m_axi_araddr;
    wire [7:0] m_axi_arlen;
    wire [2:0] m_axi_arsize;
    wire [1:0] m_axi_arburst;
    wire m_axi_arvalid;
    reg m_axi_arready;
    reg [`FORNAX_AXI_DW-1:0] m_axi_rdata;
    reg [1:0] m_axi_rresp;
    reg m_axi_rlast, m_axi_rvalid;
    wire m_axi_rready;
    wire perf_matrix;

    `FORNAX_TOP dut (
        .clk(clk), .rst(rst),
        .s_tok_tvalid(s_tok_tvalid), .s_tok_tready(s_tok_tready), .s_tok_tdata(s_tok_tdata), .s_tok_tuser(s_tok_tuser),
        .m_logit_tvalid(m_logit_tvalid), .m_logit_tready(m_logit_tready), .m_logit_tdata(m_logit_tdata), .m_logit_tlast(m_logit_tlast),
        .m_pred_tvalid(m_pred_tvalid), .m_pred_tready(m_pred_tready), .m_pred_tdata(m_pred_tdata),
        .overflow(overflow),
        .m_axi_araddr(m_axi_araddr), .m_axi_arlen(m_axi_arlen), .m_axi_arsize(m_axi_arsize), .m_axi_arburst(m_axi_arburst),
        .m_axi_arvalid(m_axi_arvalid), .m_axi_arready(m_axi_arready),
        .m_axi_rdata(m_axi_rdata), .m_axi_rresp(m_axi_rresp), .m_axi_rlast(m_axi_rlast), .m_axi_rvalid(m_axi_rvalid), .m_axi_rready(m_axi_rready),
        .perf_matrix(perf_matrix));

    reg [7:0] dram [0:`FORNAX_DRAM_BYTES-1];
    reg [63:0] q_addr [0:`FORNAX_AXI_MAX_OUTSTANDING-1];
    reg [7:0] q_len [0:`FORNAX_AXI_MAX_OUTSTANDING-1];
    reg [63:0] q_ready [0:`FORNAX_AXI_MAX_OUTSTANDING-1];
    integer q_head, q_count, beat_in_burst, b;
    reg [63:0] axi_beats, beats_at_accept, ar_bytes, nb_addr, nb_ready, prev_ar_addr;
    // matrix phases (perf_matrix high): cycles, and R beats accepted in them
    reg [63:0] matrix_cycles, matrix_beats, matrix_cycles_at_accept, matrix_beats_at_accept;
    reg [31:0] prev_ar_ctl, ar_ctl;
    reg [7:0] nb_len;
    reg ar_fire, r_fire, in_matrix, prev_ar_pending, ar_ready;
    reg [63:0] axi_latency;
    integer dram_fd, dram_read;
`else
    `FORNAX_TOP dut (
        .clk(clk), .rst(rst),
        .s_tok_tvalid(s_tok_tvalid), .s_tok_tready(s_tok_tready), .s_tok_tdata(s_tok_tdata), .s_tok_tuser(s_tok_tuser),
        .m_logit_tvalid(m_logit_tvalid), .m_logit_tready(m_logit_tready), .m_logit_tdata(m_logit_tdata), .m_logit_tlast(m_logit_tlast),
        .m_pred_tvalid(m_pred_tvalid), .m_pred_tready(m_pred_tready), .m_pred_tdata(m_pred_tdata),
        .overflow(overflow));
`endif

    // ---- arguments ----
    reg [8*STR_BYTES-1:0] str;
    reg [8*1024-1:0] out_name, wave_name, dram_name;
    reg [31:0] seq_tok [0:MAX_TOKENS-1];
    integer seq_start [0:MAX_SEQS-1];
    integer seq_len [0:MAX_SEQS-1];
    integer n_seqs, n_tok, n_eos;
    reg [31:0] eos [0:63];
    reg [63:0] max_new, seed, timeout;
    reg ignore_eos;
    real stall, thr_real;
    reg [63:0] thr;

    // Parses "1,2,3/4,5" (sequences) or "2,3" (one list) from str into seq_tok / eos.
    task parse_list(input integer into_eos);
        integer len, i, cur, have;
        reg [7:0] ch;
        begin
            len = STR_BYTES;
            while (len > 0 && str[8*(len-1) +: 8] == 8'd0) len = len - 1;
            cur = 0; have = 0;
            if (!into_eos) begin n_seqs = 0; n_tok = 0; seq_start[0] = 0; end
            for (i = len - 1; i >= -1; i = i - 1) begin
                ch = (i >= 0) ? str[8*i +: 8] : "/";
                if (ch >= "0" && ch <= "9") begin
                    cur = cur * 10 + (ch - "0"); have = 1;
                end else if (ch == "," || ch == "/") begin
                    if (have) begin
                        if (into_eos) begin eos[n_eos] = cur; n_eos = n_eos + 1; end
                        else begin seq_tok[n_tok] = cur; n_tok = n_tok + 1; end
                    end else if (!(into_eos && len == 0)) begin
                        $display("fornax-sim: error: empty entry in a token list"); $finish_and_return(2);
                    end
                    cur = 0; have = 0;
                    if (ch == "/" && !into_eos) begin
                        seq_len[n_seqs] = n_tok - seq_start[n_seqs];
                        n_seqs = n_seqs + 1;
                        seq_start[n_seqs] = n_tok;
                    end
                end else begin
                    $display("fornax-sim: error: bad character in a token list"); $finish_and_return(2);
                end
            end
        end
    endtask

    // ---- splitmix64, as in the C++ harness ----
    reg [63:0] rng_s, z;
    task rng_next(output [63:0] r);
        begin
            rng_s = rng_s + 64'h9E3779B97F4A7C15;
            z = rng_s;
            z = (z ^ (z >> 30)) * 64'hBF58476D1CE4E5B9;
            z = (z ^ (z >> 27)) * 64'h94D049BB133111EB;
            r = z ^ (z >> 31);
        end
    endtask

    // ---- result file ----
    integer fd, k;
    task put32(input [31:0] v);
        begin
            $fwrite(fd, "%c%c%c%c", v[7:0], v[15:8], v[23:16], v[31:24]);
        end
    endtask
    task put64(input [63:0] v);
        begin
            put32(v[31:0]); put32(v[63:32]);
        end
    endtask

    // ---- harness state ----
    reg [31:0] logits [0:`FORNAX_VOCAB-1];
    reg [63:0] cyc, last_progress, accept_cycle, pred_seen, pos, generated, cycles, beats, m_cycles, m_beats;
    reg [31:0] status, token, pred, logit_idx, seq_idx;
    reg first, have_token, tok_valid, awaiting, pred_seen_set, logit_ready, pred_ready, done, in_reset, now_reset;
    reg tok_fire, logit_fire, pred_fire, prev_logit_pending, prev_pred_pending, is_eos, seq_done;
    reg [32:0] prev_logit_data, logit_data;
    reg [31:0] prev_pred_data, pred_data;
    reg [63:0] draw;
    reg st [0:4];
    integer e;

    task fail(input [31:0] code);
        begin
            if (status == ST_OK) status = code;
        end
    endtask

    initial begin
        status = ST_OK;
        if (!$value$plusargs("tokens=%s", str)) begin
            $display("fornax-sim: error: +tokens=1,2,3[/4,5] is required"); $finish_and_return(2);
        end
        parse_list(0);
        for (e = 0; e < n_tok; e = e + 1)
            if (seq_tok[e] >= `FORNAX_VOCAB) begin
                $display("fornax-sim: error: token %0d is not below the vocabulary size", seq_tok[e]); $finish_and_return(2);
            end
        n_eos = 0;
        str = 0;
        if ($value$plusargs("eos=%s", str)) parse_list(1);
        if (!$value$plusargs("n=%d", max_new)) max_new = 16;
        ignore_eos = $test$plusargs("ignore_eos");
        if (!$value$plusargs("stall=%f", stall)) stall = 0.0;
        if (!(stall >= 0.0 && stall < 1.0)) begin
            $display("fornax-sim: error: +stall must be in [0, 1)"); $finish_and_return(2);
        end
        if (!$value$plusargs("seed=%d", seed)) seed = 1;
        if (!$value$plusargs("timeout=%d", timeout)) timeout = 100000000;
        if (!$value$plusargs("out=%s", out_name)) out_name = "results.bin";
        // floor(stall * 2^32), as the C++ cast does (a real-to-reg assignment rounds)
        thr_real = stall * 4294967296.0;
        thr = thr_real;
        if (thr > thr_real) thr = thr - 1;
        rng_s = seed;
        if ($value$plusargs("wave=%s", wave_name)) begin
            $dumpfile(wave_name);
            $dumpvars(0, fornax_tb);
        end
`ifdef FORNAX_DRAM
        if (!$value$plusargs("axi_latency=%d", axi_latency)) axi_latency = 8;
        if (!$value$plusargs("dram=%s", dram_name)) begin
            $display("fornax-sim: error: +dram=FILE is required for a dram-mode design"); $finish_and_return(2);
        end
        dram_fd = $fopen(dram_name, "rb");
        if (dram_fd == 0) begin
            $display("fornax-sim: error: cannot open DRAM image %0s", dram_name); $finish_and_return(2);
        end
        dram_read = $fread(dram, dram_fd);
        $fclose(dram_fd);
        if (dram_read != `FORNAX_DRAM_BYTES) begin
            $display("fornax-sim: error: DRAM image %0s has %0d bytes, the testbench was written for %0d", dram_name, dram_read, `FORNAX_DRAM_BYTES);
            $finish_and_return(2);
        end
        $display("fornax-sim: loaded DRAM image %0s (%0d bytes)", dram_name, dram_read);
        q_head = 0; q_count = 0; beat_in_burst = 0; axi_beats = 0; beats_at_accept = 0;
        matrix_cycles = 0; matrix_beats = 0; matrix_cycles_at_accept = 0; matrix_beats_at_accept = 0;
        prev_ar_pending = 0; prev_ar_addr = 0; prev_ar_ctl = 0; ar_ready = 0;
        m_axi_rvalid = 0; m_axi_rresp = 0;
`endif
        fd = $fopen(out_name, "wb");
        if (fd == 0) begin
            $display("fornax-sim: error: cannot write %0s", out_name); $finish_and_return(2);
        end
        $fwrite(fd, "FXSIM002");
        put32(`FORNAX_VOCAB);
        put32(0);

        cyc = 0; last_progress = 0; seq_idx = 0; pos = 0; generated = 0;
        token = seq_tok[0]; first = 1; have_token = 1; tok_valid = 0; awaiting = 0;
        accept_cycle = 0; pred_seen = 0; pred_seen_set = 0; logit_idx = 0;
        logit_ready = 0; pred_ready = 0; prev_logit_pending = 0; prev_pred_pending = 0;
        prev_logit_data = 0; prev_pred_data = 0;
        clk = 0; rst = 1; done = 0;
        while (!done) begin
            in_reset = cyc < 4;
            // 1. drive inputs for this cycle
            rst = in_reset;
            s_tok_tvalid = tok_valid;
            s_tok_tdata = token[`FORNAX_TOK_W-1:0];
            s_tok_tuser = first;
            m_logit_tready = logit_ready;
            m_pred_tready = pred_ready;
`ifdef FORNAX_DRAM
            m_axi_arready = ar_ready;
            if (q_count > 0) begin
                for (b = 0; b < BEAT; b = b + 1)
                    m_axi_rdata[8*b +: 8] = dram[q_addr[q_head] + beat_in_burst * BEAT + b];
                m_axi_rlast = beat_in_burst == q_len[q_head];
            end else begin
                m_axi_rlast = 0;
            end
`endif
            clk = 0;
            #5;
            // 2. sample outputs
            if (in_reset && cyc >= 1) begin
                if (s_tok_tready !== 1'b0 || m_logit_tvalid !== 1'b0 || m_pred_tvalid !== 1'b0) begin
                    $display("fornax-sim: error: a ready/valid output is high during reset"); fail(ST_PROTOCOL);
                end
`ifdef FORNAX_DRAM
                if (m_axi_arvalid !== 1'b0 || m_axi_rready !== 1'b0) begin
                    $display("fornax-sim: error: a ready/valid output is high during reset"); fail(ST_PROTOCOL);
                end
`endif
            end
            if (!in_reset && overflow !== 1'b0) begin
                $display("fornax-sim: error: overflow raised at sequence %0d position %0d", seq_idx, pos); fail(ST_OVERFLOW);
            end
            tok_fire = !in_reset && tok_valid && s_tok_tready === 1'b1;
            logit_fire = !in_reset && m_logit_tvalid === 1'b1 && logit_ready;
            pred_fire = !in_reset && m_pred_tvalid === 1'b1 && pred_ready;
            logit_data = {m_logit_tlast, m_logit_tdata};
            pred_data = m_pred_tdata;
            if (prev_logit_pending && (m_logit_tvalid !== 1'b1 || logit_data !== prev_logit_data)) begin
                $display("fornax-sim: error: m_logit_tvalid/tdata/tlast changed while valid && !ready"); fail(ST_PROTOCOL);
            end
            if (prev_pred_pending && (m_pred_tvalid !== 1'b1 || pred_data !== prev_pred_data)) begin
                $display("fornax-sim: error: m_pred_tvalid/tdata changed while valid && !ready"); fail(ST_PROTOCOL);
            end
            prev_logit_pending = !in_reset && m_logit_tvalid === 1'b1 && !logit_ready;
            prev_pred_pending = !in_reset && m_pred_tvalid === 1'b1 && !pred_ready;
            prev_logit_data = logit_data;
            prev_pred_data = pred_data;
            if (!in_reset && m_pred_tvalid === 1'b1) begin
                if (!awaiting || logit_idx != `FORNAX_VOCAB) begin
                    $display("fornax-sim: error: m_pred_tvalid high before the last logit was taken"); fail(ST_PROTOCOL);
                end else if (!pred_seen_set) begin
                    pred_seen = cyc; pred_seen_set = 1;
                end
            end
            if (logit_fire) begin
                if (!awaiting || logit_idx >= `FORNAX_VOCAB) begin
                    $display("fornax-sim: error: logit beat outside a position's logits stream"); fail(ST_PROTOCOL);
                end else begin
                    logits[logit_idx] = m_logit_tdata;
                    if (m_logit_tlast !== (logit_idx == `FORNAX_VOCAB - 1)) begin
                        $display("fornax-sim: error: m_logit_tlast %0s on logit index %0d", m_logit_tlast ? "high" : "low", logit_idx);
                        fail(ST_PROTOCOL);
                    end
                    logit_idx = logit_idx + 1;
                end
            end
`ifdef FORNAX_DRAM
            ar_fire = !in_reset && m_axi_arvalid === 1'b1 && ar_ready;
            r_fire = !in_reset && m_axi_rvalid && m_axi_rready === 1'b1;
            in_matrix = !in_reset && perf_matrix === 1'b1;
            ar_ctl = {16'd0, m_axi_arlen, 3'd0, m_axi_arsize, m_axi_arburst};
            if (prev_ar_pending && (m_axi_arvalid !== 1'b1 || m_axi_araddr !== prev_ar_addr || ar_ctl !== prev_ar_ctl)) begin
                $display("fornax-sim: error: m_axi_ar* changed while arvalid && !arready"); fail(ST_PROTOCOL);
            end
            prev_ar_pending = !in_reset && m_axi_arvalid === 1'b1 && !ar_ready;
            prev_ar_addr = m_axi_araddr;
            prev_ar_ctl = ar_ctl;
            if (ar_fire) begin
                nb_addr = m_axi_araddr;
                nb_len = m_axi_arlen;
                nb_ready = cyc + 1 + axi_latency;
                ar_bytes = (nb_len + 1) * BEAT;
                if (m_axi_arburst != 2'd1) begin
                    $display("fornax-sim: error: m_axi_arburst is not INCR"); fail(ST_AXI);
                end else if ((1 << m_axi_arsize) != BEAT) begin
                    $display("fornax-sim: error: m_axi_arsize %0d differs from the data width", m_axi_arsize); fail(ST_AXI);
                end else if (nb_addr % BEAT != 0) begin
                    $display("fornax-sim: error: unaligned AXI read address %0d", nb_addr); fail(ST_AXI);
                end else if ((nb_addr >> 12) != ((nb_addr + ar_bytes - 1) >> 12)) begin
                    $display("fornax-sim: error: AXI burst at %0d crosses a 4 KB boundary", nb_addr); fail(ST_AXI);
                end else if (nb_addr + ar_bytes > `FORNAX_DRAM_BYTES) begin
                    $display("fornax-sim: error: AXI read of %0d bytes at %0d beyond the DRAM image (%0d bytes)", ar_bytes, nb_addr, `FORNAX_DRAM_BYTES);
                    fail(ST_AXI);
                end
            end
`else
            ;
`endif
            // 3. clock edge
            clk = 1;
            #5;
            cyc = cyc + 1;
            // 4. update harness state from this edge's handshakes
            if (tok_fire || logit_fire || pred_fire) last_progress = cyc;
`ifdef FORNAX_DRAM
            if (ar_fire || r_fire) last_progress = cyc;
`endif
            if (tok_fire) begin
                tok_valid = 0; have_token = 0; awaiting = 1; accept_cycle = cyc; pred_seen_set = 0; logit_idx = 0;
`ifdef FORNAX_DRAM
                beats_at_accept = axi_beats;
                matrix_cycles_at_accept = matrix_cycles;
                matrix_beats_at_accept = matrix_beats;
`endif
            end
`ifdef FORNAX_DRAM
            if (ar_fire && status == ST_OK) begin
                k = (q_head + q_count) % `FORNAX_AXI_MAX_OUTSTANDING;
                q_addr[k] = nb_addr; q_len[k] = nb_len; q_ready[k] = nb_ready;
                q_count = q_count + 1;
            end
            if (in_matrix) matrix_cycles = matrix_cycles + 1;
            if (r_fire) begin
                m_axi_rvalid = 0;
                axi_beats = axi_beats + 1;
                if (in_matrix) matrix_beats = matrix_beats + 1;
                if (beat_in_burst == q_len[q_head]) begin
                    q_head = (q_head + 1) % `FORNAX_AXI_MAX_OUTSTANDING; q_count = q_count - 1; beat_in_burst = 0;
                end else begin
                    beat_in_burst = beat_in_burst + 1;
                end
            end
`endif
            if (pred_fire && status == ST_OK) begin
                pred = pred_data;
                cycles = pred_seen - accept_cycle;
                beats = 0; m_cycles = 0; m_beats = 0;
`ifdef FORNAX_DRAM
                beats = axi_beats - beats_at_accept;
                m_cycles = matrix_cycles - matrix_cycles_at_accept;
                m_beats = matrix_beats - matrix_beats_at_accept;
`endif
                put32(TAG_POSITION); put32(seq_idx); put32(pos[31:0]); put32(token); put32(pred);
                put64(cycles); put64(beats); put64(m_cycles); put64(m_beats);
                for (k = 0; k < `FORNAX_VOCAB; k = k + 1) put32(logits[k]);
                $display("fornax-sim: seq %0d pos %0d token %0d -> %0d, %0d cycles", seq_idx, pos, token, pred, cycles);
                awaiting = 0;
                seq_done = 0;
                if (pos + 1 < seq_len[seq_idx]) begin
                    token = seq_tok[seq_start[seq_idx] + pos + 1];
                end else begin
                    is_eos = 0;
                    for (e = 0; e < n_eos; e = e + 1) if (eos[e] == pred) is_eos = 1;
                    if (generated == max_new || (is_eos && !ignore_eos)) seq_done = 1;
                    else begin
                        generated = generated + 1;
                        if (generated == max_new) seq_done = 1;
                        else token = pred;
                    end
                end
                first = 0;
                pos = pos + 1;
                if (seq_done) begin
                    seq_idx = seq_idx + 1; pos = 0; generated = 0;
                    if (seq_idx == n_seqs) done = 1;
                    else begin token = seq_tok[seq_start[seq_idx]]; first = 1; end
                end
                have_token = !done;
            end
            if (status != ST_OK) done = 1;
            if (!done && cyc - last_progress > timeout) begin
                $display("fornax-sim: error: no handshake for %0d cycles at sequence %0d position %0d", timeout, seq_idx, pos);
                fail(ST_TIMEOUT);
                done = 1;
            end
            if (cyc % (64'd1 << 22) == 0) $display("fornax-sim: %0d cycles", cyc);
            // 5. next cycle's inputs: five draws (token valid, logit ready, pred ready, arready, rvalid)
            for (e = 0; e < 5; e = e + 1) begin
                st[e] = 0;
                if (thr != 0) begin
                    rng_next(draw);
                    st[e] = (draw >> 32) < thr;
                end
            end
            now_reset = cyc < 4;
            if (!now_reset && have_token && !tok_valid) tok_valid = !st[0];
            logit_ready = !now_reset && !st[1];
            pred_ready = !now_reset && !st[2];
`ifdef FORNAX_DRAM
            ar_ready = !now_reset && !st[3] && q_count < `FORNAX_AXI_MAX_OUTSTANDING;
            if (!now_reset && !m_axi_rvalid && q_count > 0 && q_ready[q_head] <= cyc) m_axi_rvalid = !st[4];
`endif
        end
        put32(TAG_END); put32(status); put64(cyc);
        $fclose(fd);
        if (status != ST_OK) begin
            $display("fornax-sim: stopped at cycle %0d (status %0d)", cyc, status);
            $finish_and_return(1);
        end
        $display("fornax-sim: done, %0d cycles", cyc);
        $finish;
    end
endmodule
