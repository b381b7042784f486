// Fornax Icarus testbench (copied verbatim by dev.fornax.sim.TestbenchWriter; the design-specific
// constants live in fornax_tb_config.vh). It behaves exactly as fornax_harness.cpp: same phases per
// cycle, same splitmix64 draws in the same order, same memory model, same result file.
// Simulation-only code.
//
// Plusargs: +tokens=1,2,3[/4,5] +n=N +eos=2[,3] +ignore_eos +stall=P +seed=S +out=FILE +wave=FILE
//           +dram=FILE +axi_latency=N[,N1,...] +axi_blackout=EVERY,CYCLES +axi_rate=NUM,DEN +inject_rresp=N
//           +reset_at=CYCLE +axi_base=ADDR +timeout=CYCLES
`timescale 1ns / 1ps
`include "fornax_tb_config.vh"

module fornax_tb;
    localparam integer MAX_TOKENS = 8192;
    localparam integer MAX_SEQS = 64;
    localparam integer STR_BYTES = 16384;
    localparam [31:0] TAG_POSITION = 32'd1;
    localparam [31:0] TAG_END = 32'd2;
    localparam [31:0] ST_OK = 0, ST_TIMEOUT = 1, ST_PROTOCOL = 2, ST_OVERFLOW = 3, ST_AXI = 4, ST_USAGE = 5,
                      ST_AXI_ERROR = 6;
    localparam [63:0] RESET_CYCLES = 4;
    localparam [63:0] ERROR_DRAIN_CYCLES = 64;
    localparam [63:0] ERROR_REPORT_CYCLES = 16;

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
    localparam integer P = `FORNAX_AXI_PORTS;
    localparam integer DW = `FORNAX_AXI_DW;
    localparam integer BEAT = DW / 8;
    localparam integer MAXO = `FORNAX_AXI_MAX_OUTSTANDING;
    localparam integer DRAWS = 3 + 2 * P;
    // the ports, packed: port i's signal at [i*W +: W]
    wire [64*P-1:0] araddr;
    wire [8*P-1:0] arlen;
    wire [3*P-1:0] arsize, arprot;
    wire [2*P-1:0] arburst;
    wire [4*P-1:0] arcache, arqos;
    wire [P-1:0] arid, arlock, arvalid, rready;
    reg [P-1:0] arready, rlast, rvalid, rid;
    reg [DW*P-1:0] rdata;
    reg [2*P-1:0] rresp;
    reg [64*P-1:0] base;
    wire perf_matrix, axi_error;
    wire [7:0] axi_error_code;

    `FORNAX_TOP dut (
        .clk(clk), .rst(rst),
        .s_tok_tvalid(s_tok_tvalid), .s_tok_tready(s_tok_tready), .s_tok_tdata(s_tok_tdata), .s_tok_tuser(s_tok_tuser),
        .m_logit_tvalid(m_logit_tvalid), .m_logit_tready(m_logit_tready), .m_logit_tdata(m_logit_tdata), .m_logit_tlast(m_logit_tlast),
        .m_pred_tvalid(m_pred_tvalid), .m_pred_tready(m_pred_tready), .m_pred_tdata(m_pred_tdata),
        .overflow(overflow),
        `FORNAX_AXI_CONNECT
        .axi_error(axi_error), .axi_error_code(axi_error_code),
        .perf_matrix(perf_matrix));

    reg [7:0] dram [0:`FORNAX_DRAM_BYTES-1];
    reg [63:0] region_off [0:P-1];
    reg [63:0] region_bytes [0:P-1];
    reg [63:0] latency [0:P-1];
    // bursts accepted and not yet delivered, per port: a ring of MAXO at [i*MAXO]
    reg [63:0] q_off [0:P*MAXO-1];
    reg [7:0] q_len [0:P*MAXO-1];
    reg [63:0] q_ready [0:P*MAXO-1];
    reg q_err [0:P*MAXO-1];
    integer q_head [0:P-1];
    integer q_count [0:P-1];
    integer beat_in_burst [0:P-1];
    reg prev_ar_pending [0:P-1];
    reg [63:0] prev_ar_addr [0:P-1];
    reg [63:0] prev_ar_ctl [0:P-1];
    reg [63:0] port_beats [0:P-1];
    reg ar_fire [0:P-1];
    reg r_fire [0:P-1];
    reg [63:0] nb_off [0:P-1];
    reg [7:0] nb_len [0:P-1];
    reg [63:0] nb_ready [0:P-1];
    reg nb_err [0:P-1];
    integer b, i, qi;
    reg [63:0] beats_at_accept, ar_bytes, a_addr, a_ctl, a_base, ar_count, axi_base, error_at, injected_at, sum;
    reg [63:0] blackout_every, blackout_cycles, inject_rresp, rate_num, rate_den;
    reg [63:0] credit [0:P-1];
    // matrix phases (perf_matrix high): cycles, and R beats accepted in them
    reg [63:0] matrix_cycles, matrix_beats, matrix_cycles_at_accept, matrix_beats_at_accept;
    reg [7:0] error_code, a_len;
    reg [3:0] a_cache;
    reg in_matrix, any_ar, any_r, inject_started, injected, drained, refused, off;
    reg [63:0] refused_for;
    integer dram_fd, dram_read, f;
    reg [8*1024-1:0] file_name [0:`FORNAX_FILES-1];
    reg [63:0] file_off [0:`FORNAX_FILES-1];
    reg [63:0] file_bytes [0:`FORNAX_FILES-1];
`else
    `FORNAX_TOP dut (
        .clk(clk), .rst(rst),
        .s_tok_tvalid(s_tok_tvalid), .s_tok_tready(s_tok_tready), .s_tok_tdata(s_tok_tdata), .s_tok_tuser(s_tok_tuser),
        .m_logit_tvalid(m_logit_tvalid), .m_logit_tready(m_logit_tready), .m_logit_tdata(m_logit_tdata), .m_logit_tlast(m_logit_tlast),
        .m_pred_tvalid(m_pred_tvalid), .m_pred_tready(m_pred_tready), .m_pred_tdata(m_pred_tdata),
        .overflow(overflow));
    localparam integer DRAWS = 3;
`endif

    // ---- arguments ----
    reg [8*STR_BYTES-1:0] str;
    reg [8*1024-1:0] out_name, wave_name, dram_name;
    reg [31:0] seq_tok [0:MAX_TOKENS-1];
    integer seq_start [0:MAX_SEQS-1];
    integer seq_len [0:MAX_SEQS-1];
    integer n_seqs, n_tok, n_eos, n_num;
    reg [31:0] eos [0:63];
    reg [63:0] num [0:63];
    reg [63:0] max_new, seed, timeout, reset_at;
    reg ignore_eos;
    real stall, thr_real;
    reg [63:0] thr;

    // Parses "1,2,3/4,5" from str: mode 0 into the sequences seq_tok, 1 into eos, 2 into num.
    task parse_list(input integer mode);
        integer len, k, have;
        reg [63:0] cur;
        reg [7:0] ch;
        begin
            len = STR_BYTES;
            while (len > 0 && str[8*(len-1) +: 8] == 8'd0) len = len - 1;
            cur = 0; have = 0;
            if (mode == 0) begin n_seqs = 0; n_tok = 0; seq_start[0] = 0; end
            if (mode == 2) n_num = 0;
            for (k = len - 1; k >= -1; k = k - 1) begin
                ch = (k >= 0) ? str[8*k +: 8] : "/";
                if (ch >= "0" && ch <= "9") begin
                    cur = cur * 10 + (ch - "0"); have = 1;
                end else if (ch == "," || ch == "/") begin
                    if (have) begin
                        if (mode == 1) begin eos[n_eos] = cur; n_eos = n_eos + 1; end
                        else if (mode == 2) begin num[n_num] = cur; n_num = n_num + 1; end
                        else begin seq_tok[n_tok] = cur; n_tok = n_tok + 1; end
                    end else if (!(mode == 1 && len == 0)) begin
                        $display("fornax-sim: error: empty entry in a number list"); $finish_and_return(2);
                    end
                    cur = 0; have = 0;
                    if (ch == "/" && mode == 0) begin
                        seq_len[n_seqs] = n_tok - seq_start[n_seqs];
                        n_seqs = n_seqs + 1;
                        seq_start[n_seqs] = n_tok;
                    end
                end else begin
                    $display("fornax-sim: error: bad character in a number list"); $finish_and_return(2);
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
    reg [63:0] cyc, last_progress, accept_cycle, pred_seen, pos, generated, cycles, beats, m_cycles, m_beats, positions_written;
    reg [31:0] status, token, pred, logit_idx, seq_idx;
    reg reset_settled;
    reg first, have_token, tok_valid, awaiting, pred_seen_set, logit_ready, pred_ready, done, in_reset, now_reset;
    reg tok_fire, logit_fire, pred_fire, prev_logit_pending, prev_pred_pending, is_eos, seq_done;
    reg [32:0] prev_logit_data, logit_data;
    reg [31:0] prev_pred_data, pred_data;
    reg [63:0] draw;
    reg st [0:DRAWS-1];
    integer e;

    task fail(input [31:0] code);
        begin
            if (status == ST_OK) status = code;
        end
    endtask

    // rst is high in cycles 0..3 and, with +reset_at=C, in cycles C..C+3
    function reset_cycle(input [63:0] c);
        begin
            reset_cycle = c < RESET_CYCLES || (reset_at != 0 && c >= reset_at && c < reset_at + RESET_CYCLES);
        end
    endfunction

`ifdef FORNAX_DRAM
    // staggered per port, as independent channels refresh at different times
    function blackout(input integer port, input [63:0] c);
        begin
            blackout = blackout_every != 0 && ((c + port * (blackout_every / P)) % blackout_every) < blackout_cycles;
        end
    endfunction
`endif

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
        if (!$value$plusargs("reset_at=%d", reset_at)) reset_at = 0;
        if (reset_at != 0 && reset_at < RESET_CYCLES) begin
            $display("fornax-sim: error: +reset_at must be at least %0d", RESET_CYCLES); $finish_and_return(2);
        end
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
        str = 0;
        for (i = 0; i < P; i = i + 1) latency[i] = 150;
        if ($value$plusargs("axi_latency=%s", str)) begin
            parse_list(2);
            if (n_num != 1 && n_num != P) begin
                $display("fornax-sim: error: +axi_latency takes one value or one per port (%0d)", P); $finish_and_return(2);
            end
            for (i = 0; i < P; i = i + 1) latency[i] = n_num == 1 ? num[0] : num[i];
        end
        str = 0;
        blackout_every = 0; blackout_cycles = 0;
        if ($value$plusargs("axi_blackout=%s", str)) begin
            parse_list(2);
            if (n_num != 2 || num[0] == 0 || num[1] >= num[0]) begin
                $display("fornax-sim: error: +axi_blackout takes EVERY,CYCLES with CYCLES < EVERY"); $finish_and_return(2);
            end
            blackout_every = num[0]; blackout_cycles = num[1];
        end
        str = 0;
        rate_num = 1; rate_den = 1;
        if ($value$plusargs("axi_rate=%s", str)) begin
            parse_list(2);
            if (n_num != 2 || num[0] == 0 || num[1] == 0 || num[0] > num[1] || num[1] > 1000000) begin
                $display("fornax-sim: error: +axi_rate takes NUM,DEN with 0 < NUM <= DEN <= 1000000"); $finish_and_return(2);
            end
            rate_num = num[0]; rate_den = num[1];
        end
        if (!$value$plusargs("inject_rresp=%d", inject_rresp)) inject_rresp = 0;
        if (!$value$plusargs("axi_base=%d", axi_base)) axi_base = 64'h123456000;
        if (axi_base % 4096 != 0) begin
            $display("fornax-sim: error: +axi_base must be a multiple of 4096"); $finish_and_return(2);
        end
        // the image's files (fornax_tb_config.vh), one after the other in dram; +dram=FILE names
        // another file for a one-file image
        `FORNAX_FILE_INIT
        if ($value$plusargs("dram=%s", dram_name)) begin
            if (`FORNAX_FILES != 1) begin
                $display("fornax-sim: error: +dram: this design's image has %0d files, which the testbench loads itself", `FORNAX_FILES);
                $finish_and_return(2);
            end
            file_name[0] = dram_name;
        end
        for (f = 0; f < `FORNAX_FILES; f = f + 1) begin
            dram_fd = $fopen(file_name[f], "rb");
            if (dram_fd == 0) begin
                $display("fornax-sim: error: cannot open DRAM image %0s", file_name[f]); $finish_and_return(2);
            end
            dram_read = $fread(dram, dram_fd, file_off[f]);
            if (dram_read == file_bytes[f] && $fgetc(dram_fd) != -1) dram_read = dram_read + 1;
            $fclose(dram_fd);
            if (dram_read != file_bytes[f]) begin
                $display("fornax-sim: error: DRAM image %0s has %0d bytes, the testbench was written for %0d", file_name[f], dram_read, file_bytes[f]);
                $finish_and_return(2);
            end
            $display("fornax-sim: loaded DRAM image %0s (%0d bytes)", file_name[f], dram_read);
        end
        `FORNAX_REGIONS
        for (i = 0; i < P; i = i + 1) begin
            base[64*i +: 64] = axi_base + (i << `FORNAX_AXI_PORT_STRIDE_LOG2);
            q_head[i] = 0; q_count[i] = 0; beat_in_burst[i] = 0; port_beats[i] = 0; credit[i] = rate_den;
            prev_ar_pending[i] = 0; prev_ar_addr[i] = 0; prev_ar_ctl[i] = 0;
        end
        arready = 0; rvalid = 0; rresp = 0; rlast = 0; rdata = 0; rid = 0;
        beats_at_accept = 0; ar_count = 0; error_at = 0; error_code = 0; injected_at = 0;
        inject_started = 0; injected = 0; refused_for = 0;
        matrix_cycles = 0; matrix_beats = 0; matrix_cycles_at_accept = 0; matrix_beats_at_accept = 0;
`endif
        fd = $fopen(out_name, "wb");
        if (fd == 0) begin
            $display("fornax-sim: error: cannot write %0s", out_name); $finish_and_return(2);
        end
        $fwrite(fd, "FXSIM002");
        put32(`FORNAX_VOCAB);
        put32(0);

        cyc = 0; last_progress = 0; seq_idx = 0; pos = 0; generated = 0; positions_written = 0;
        token = seq_tok[0]; first = 1; have_token = 1; tok_valid = 0; awaiting = 0;
        accept_cycle = 0; pred_seen = 0; pred_seen_set = 0; logit_idx = 0;
        logit_ready = 0; pred_ready = 0; prev_logit_pending = 0; prev_pred_pending = 0;
        prev_logit_data = 0; prev_pred_data = 0;
        clk = 0; rst = 1; done = 0;
        while (!done) begin
            if (reset_at != 0 && cyc == reset_at) begin
                if (positions_written != 0) begin
                    $display("fornax-sim: error: +reset_at=%0d comes after the first prediction", reset_at); $finish_and_return(2);
                end
                // the design forgets everything: feed the sequences again
                seq_idx = 0; pos = 0; generated = 0; token = seq_tok[0];
                first = 1; have_token = 1; tok_valid = 0; awaiting = 0; logit_idx = 0;
                prev_logit_pending = 0; prev_pred_pending = 0;
            end
            in_reset = reset_cycle(cyc);
            // 1. drive inputs for this cycle
            rst = in_reset;
            s_tok_tvalid = tok_valid;
            s_tok_tdata = token[`FORNAX_TOK_W-1:0];
            s_tok_tuser = first;
            m_logit_tready = logit_ready;
            m_pred_tready = pred_ready;
`ifdef FORNAX_DRAM
            for (i = 0; i < P; i = i + 1) begin
                if (q_count[i] > 0) begin
                    qi = i * MAXO + q_head[i];
                    for (b = 0; b < BEAT; b = b + 1)
                        rdata[DW*i + 8*b +: 8] = dram[region_off[i] + q_off[qi] + beat_in_burst[i] * BEAT + b];
                    rlast[i] = beat_in_burst[i] == q_len[qi];
                    rresp[2*i +: 2] = q_err[qi] ? 2'd2 : 2'd0;
                end else begin
                    rlast[i] = 0;
                    rresp[2*i +: 2] = 2'd0;
                end
            end
`endif
            clk = 0;
            #5;
            // 2. sample outputs
            // registered outputs go low from the second cycle of a (synchronous) reset
            reset_settled = in_reset && cyc != 0 && cyc != reset_at;
            if (reset_settled) begin
                if (s_tok_tready !== 1'b0 || m_logit_tvalid !== 1'b0 || m_pred_tvalid !== 1'b0) begin
                    $display("fornax-sim: error: a ready/valid output is high during reset"); fail(ST_PROTOCOL);
                end
`ifdef FORNAX_DRAM
                if (arvalid !== {P{1'b0}} || rready !== {P{1'b0}}) begin
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
            in_matrix = !in_reset && perf_matrix === 1'b1;
            any_ar = 0; any_r = 0;
            if (!in_reset && axi_error === 1'b1 && error_at == 0) begin
                error_at = cyc; error_code = axi_error_code;
            end
            if (reset_settled && axi_error !== 1'b0) begin
                $display("fornax-sim: error: axi_error is high during reset"); fail(ST_PROTOCOL);
            end
            for (i = 0; i < P; i = i + 1) begin
                ar_fire[i] = !in_reset && arvalid[i] === 1'b1 && arready[i];
                // a transfer is a transfer, reset or not: the memory is not reset with the design
                r_fire[i] = rvalid[i] && rready[i] === 1'b1;
                any_ar = any_ar | ar_fire[i];
                any_r = any_r | r_fire[i];
                a_addr = araddr[64*i +: 64];
                a_ctl = {24'd0, arlen[8*i +: 8], 5'd0, arsize[3*i +: 3], 2'd0, arburst[2*i +: 2], 3'd0, arid[i],
                         1'b0, arprot[3*i +: 3], arcache[4*i +: 4], arqos[4*i +: 4], 3'd0, arlock[i]};
                if (prev_ar_pending[i] && (arvalid[i] !== 1'b1 || a_addr !== prev_ar_addr[i] || a_ctl !== prev_ar_ctl[i])) begin
                    $display("fornax-sim: error: m_axi_w%0d_ar* changed while arvalid && !arready", i); fail(ST_PROTOCOL);
                end
                // after axi_error only a request already waiting for arready may complete
                if (error_at != 0 && error_at < cyc && !in_reset && arvalid[i] === 1'b1 && !prev_ar_pending[i]) begin
                    $display("fornax-sim: error: m_axi_w%0d_arvalid: a new read burst after axi_error", i); fail(ST_PROTOCOL);
                end
                prev_ar_pending[i] = !in_reset && arvalid[i] === 1'b1 && !arready[i];
                prev_ar_addr[i] = a_addr;
                prev_ar_ctl[i] = a_ctl;
                if (ar_fire[i]) begin
                    a_len = arlen[8*i +: 8];
                    a_cache = arcache[4*i +: 4];
                    a_base = base[64*i +: 64];
                    ar_bytes = (a_len + 1) * BEAT;
                    ar_count = ar_count + 1;
                    nb_off[i] = a_addr - a_base;
                    nb_len[i] = a_len;
                    nb_ready[i] = cyc + 1 + latency[i];
                    nb_err[i] = inject_rresp == ar_count;
                    if (arburst[2*i +: 2] != 2'd1) begin
                        $display("fornax-sim: error: m_axi_w%0d_arburst is not INCR", i); fail(ST_AXI);
                    end else if ((1 << arsize[3*i +: 3]) != BEAT) begin
                        $display("fornax-sim: error: m_axi_w%0d_arsize %0d differs from the data width", i, arsize[3*i +: 3]); fail(ST_AXI);
                    end else if (a_len + 1 > `FORNAX_AXI_MAX_BURST) begin
                        $display("fornax-sim: error: m_axi_w%0d_arlen %0d exceeds the design's longest burst (%0d beats)", i, a_len, `FORNAX_AXI_MAX_BURST);
                        fail(ST_AXI);
                    end else if (a_addr % BEAT != 0) begin
                        $display("fornax-sim: error: unaligned AXI read address 0x%0h on port %0d", a_addr, i); fail(ST_AXI);
                    end else if ((a_addr >> 12) != ((a_addr + ar_bytes - 1) >> 12)) begin
                        $display("fornax-sim: error: AXI burst at 0x%0h on port %0d crosses a 4 KB boundary", a_addr, i); fail(ST_AXI);
                    end else if (a_addr < a_base || a_addr - a_base + ar_bytes > region_bytes[i]) begin
                        $display("fornax-sim: error: AXI read of %0d bytes at 0x%0h outside port %0d's region [0x%0h, 0x%0h)",
                                 ar_bytes, a_addr, i, a_base, a_base + region_bytes[i]);
                        fail(ST_AXI);
                    end else if (!a_cache[1] && a_cache[3:2] != 2'b00) begin
                        $display("fornax-sim: error: m_axi_w%0d_arcache %0d is illegal (ARCACHE[1] = 0 requires ARCACHE[3:2] = 0)", i, a_cache);
                        fail(ST_AXI);
                    end else if (arlock[i] !== 1'b0) begin
                        $display("fornax-sim: error: m_axi_w%0d_arlock requests an exclusive access", i); fail(ST_AXI);
                    end
                end
            end
`endif
            // 3. clock edge
            clk = 1;
            #5;
            cyc = cyc + 1;
            // 4. update harness state from this edge's handshakes
            if (tok_fire || logit_fire || pred_fire) last_progress = cyc;
`ifdef FORNAX_DRAM
            if (any_ar || any_r) last_progress = cyc;
`endif
            if (tok_fire) begin
                tok_valid = 0; have_token = 0; awaiting = 1; accept_cycle = cyc; pred_seen_set = 0; logit_idx = 0;
`ifdef FORNAX_DRAM
                sum = 0;
                for (i = 0; i < P; i = i + 1) sum = sum + port_beats[i];
                beats_at_accept = sum;
                matrix_cycles_at_accept = matrix_cycles;
                matrix_beats_at_accept = matrix_beats;
`endif
            end
`ifdef FORNAX_DRAM
            if (in_matrix) matrix_cycles = matrix_cycles + 1;
            for (i = 0; i < P; i = i + 1) begin
                if (ar_fire[i] && status == ST_OK) begin
                    qi = i * MAXO + (q_head[i] + q_count[i]) % MAXO;
                    q_off[qi] = nb_off[i]; q_len[qi] = nb_len[i]; q_ready[qi] = nb_ready[i]; q_err[qi] = nb_err[i];
                    q_count[i] = q_count[i] + 1;
                end
                if (r_fire[i]) begin
                    rvalid[i] = 0;
                    port_beats[i] = port_beats[i] + 1;
                    credit[i] = credit[i] - rate_den;
                    if (in_matrix) matrix_beats = matrix_beats + 1;
                    qi = i * MAXO + q_head[i];
                    if (q_err[qi]) inject_started = 1;
                    if (beat_in_burst[i] == q_len[qi]) begin
                        if (q_err[qi]) begin injected = 1; injected_at = cyc; end
                        q_head[i] = (q_head[i] + 1) % MAXO; q_count[i] = q_count[i] - 1; beat_in_burst[i] = 0;
                    end else begin
                        beat_in_burst[i] = beat_in_burst[i] + 1;
                    end
                end
            end
            if (error_at != 0 && status == ST_OK) begin
                // the design stopped on an error: it must keep taking the data of its outstanding
                // bursts (rready high), then the run ends
                drained = 1; refused = 0;
                for (i = 0; i < P; i = i + 1) begin
                    if (q_count[i] != 0) drained = 0;
                    if (rvalid[i] && !r_fire[i]) refused = 1;
                end
                refused_for = refused ? refused_for + 1 : 0;
                if (refused_for > ERROR_DRAIN_CYCLES) begin
                    $display("fornax-sim: error: the design raised axi_error and then refused the read data of its outstanding bursts for %0d cycles",
                             ERROR_DRAIN_CYCLES);
                    fail(ST_AXI);
                end else if (drained) begin
                    if (inject_started)
                        $display("fornax-sim: error: the design raised axi_error, code 0x%0h (port %0d, cause %0d), after the SLVERR injected into read burst %0d",
                                 error_code, error_code >> 3, error_code & 7, inject_rresp);
                    else if (inject_rresp != 0)
                        $display("fornax-sim: error: the design raised axi_error, code 0x%0h (port %0d, cause %0d), before the SLVERR injected into read burst %0d",
                                 error_code, error_code >> 3, error_code & 7, inject_rresp);
                    else
                        $display("fornax-sim: error: the design raised axi_error, code 0x%0h (port %0d, cause %0d), with no error injected",
                                 error_code, error_code >> 3, error_code & 7);
                    fail(ST_AXI_ERROR);
                end
            end
            if (injected && error_at == 0 && cyc - injected_at > ERROR_REPORT_CYCLES && status == ST_OK) begin
                $display("fornax-sim: error: the design did not raise axi_error within %0d cycles of the SLVERR response injected into read burst %0d",
                         ERROR_REPORT_CYCLES, inject_rresp);
                fail(ST_PROTOCOL);
            end
`endif
            if (pred_fire && status == ST_OK) begin
                pred = pred_data;
                cycles = pred_seen - accept_cycle;
                beats = 0; m_cycles = 0; m_beats = 0;
`ifdef FORNAX_DRAM
                sum = 0;
                for (i = 0; i < P; i = i + 1) sum = sum + port_beats[i];
                beats = sum - beats_at_accept;
                m_cycles = matrix_cycles - matrix_cycles_at_accept;
                m_beats = matrix_beats - matrix_beats_at_accept;
`endif
                put32(TAG_POSITION); put32(seq_idx); put32(pos[31:0]); put32(token); put32(pred);
                put64(cycles); put64(beats); put64(m_cycles); put64(m_beats);
                for (k = 0; k < `FORNAX_VOCAB; k = k + 1) put32(logits[k]);
                positions_written = positions_written + 1;
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
`ifdef FORNAX_DRAM
            if (done && status == ST_OK && inject_rresp != 0) begin
                if (inject_started) begin
                    $display("fornax-sim: error: the design finished without raising axi_error after the SLVERR response injected into read burst %0d", inject_rresp);
                    fail(ST_PROTOCOL);
                end else begin
                    $display("fornax-sim: error: +inject_rresp=%0d: the run ended after %0d read bursts", inject_rresp, ar_count);
                    fail(ST_USAGE);
                end
            end
`endif
            if (status != ST_OK) done = 1;
            if (!done && cyc - last_progress > timeout) begin
                $display("fornax-sim: error: no handshake for %0d cycles at sequence %0d position %0d", timeout, seq_idx, pos);
                fail(ST_TIMEOUT);
                done = 1;
            end
            if (cyc % (64'd1 << 22) == 0) $display("fornax-sim: %0d cycles", cyc);
            // 5. next cycle's inputs: random draws in a fixed order (token valid, logit ready, pred
            // ready, then arready and rvalid of each port). The memory is not reset with the design:
            // data of bursts accepted before a reset keeps coming.
            for (e = 0; e < DRAWS; e = e + 1) begin
                st[e] = 0;
                if (thr != 0) begin
                    rng_next(draw);
                    st[e] = (draw >> 32) < thr;
                end
            end
            now_reset = reset_cycle(cyc);
            if (!now_reset && have_token && !tok_valid) tok_valid = !st[0];
            logit_ready = !now_reset && !st[1];
            pred_ready = !now_reset && !st[2];
`ifdef FORNAX_DRAM
            for (i = 0; i < P; i = i + 1) begin
                off = blackout(i, cyc);
                arready[i] = !now_reset && !st[3 + 2 * i] && !off && q_count[i] < MAXO;
                // the channel's bandwidth: rate_num beats every rate_den cycles (credit capped at one beat)
                credit[i] = credit[i] + rate_num;
                if (credit[i] > rate_den + rate_num - 1) credit[i] = rate_den + rate_num - 1;
                if (!rvalid[i] && !off && credit[i] >= rate_den && q_count[i] > 0 && q_ready[i * MAXO + q_head[i]] <= cyc)
                    rvalid[i] = !st[4 + 2 * i];
            end
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
