// Behavioural stand-in for a Fornax core, used only to test the simulation harness, the stall
// logic, cycle counting and result parsing (dev.fornax.sim tests). It has the top-level ports of
// docs/HARDWARE.md but computes a simple documented formula instead of a transformer:
//
//   position p restarts at 0 on a token with s_tok_tuser = 1, else increments;
//   mix(i)   = i * 32'h9E3779B1 + token * 40503 + p * 977          (mod 2^32)
//   logit[i] = signed(mix(i)[31:27]) * 65536  (+ signed(image[token * ROW_STRIDE + i]) * 256 if DRAM)
//   pred     = argmax over logit, ties to the lowest index
//
// Timing: after a token is accepted the core waits 5 + 2p cycles, then (DRAM) reads the token's
// row of the image over AXI in aligned INCR bursts of BURST beats, then streams the logits, then
// the prediction. Without stalls and in ROM mode, a position takes exactly 5 + 2p + VOCAB cycles
// from acceptance to the prediction being valid. A token at p >= CONTEXT raises overflow.
// perf_matrix (the matrix-phase status of a dram top) is high while the row is fetched, from the
// first AR through the cycle of the last R beat. A read response SLVERR/DECERR sets axi_error
// (code 1/2 of port 0) and halts the core: it takes the remaining beats and issues no more reads.
module fornax_standin_core #(
    parameter integer VOCAB = 100,
    parameter integer TOK_W = 7,
    parameter integer CONTEXT = 32,
    parameter integer DRAM = 0,
    parameter integer AXI_DW = 64,
    parameter integer AXI_AW = 32,
    parameter integer ROW_STRIDE = 128,
    parameter integer BURST = 4,
    // Deliberate faults, to prove the harness catches them: 1 = tlast one beat early, 2 = tdata
    // changes while valid && !ready, 3 = unaligned AXI read address, 4 = bursts that cross a 4 KB
    // boundary, 5 = an illegal ARCACHE (1100), 6 = SLVERR ignored (no axi_error), 7 = a new read
    // burst after axi_error, 8 = bursts one beat longer than BURST, 9 = araddr changes while
    // arvalid && !arready.
    parameter integer BUG = 0
) (
    input wire clk,
    input wire rst,
    input wire s_tok_tvalid,
    output wire s_tok_tready,
    input wire [TOK_W-1:0] s_tok_tdata,
    input wire s_tok_tuser,
    output wire m_logit_tvalid,
    input wire m_logit_tready,
    output wire [31:0] m_logit_tdata,
    output wire m_logit_tlast,
    output wire m_pred_tvalid,
    input wire m_pred_tready,
    output wire [TOK_W-1:0] m_pred_tdata,
    output reg overflow,
    input wire [63:0] base,
    output wire [AXI_AW-1:0] m_axi_araddr,
    output wire [7:0] m_axi_arlen,
    output wire [2:0] m_axi_arsize,
    output wire [1:0] m_axi_arburst,
    output wire [0:0] m_axi_arid,
    output wire [2:0] m_axi_arprot,
    output wire [3:0] m_axi_arcache,
    output wire [3:0] m_axi_arqos,
    output wire m_axi_arlock,
    output wire m_axi_arvalid,
    input wire m_axi_arready,
    input wire [AXI_DW-1:0] m_axi_rdata,
    input wire [1:0] m_axi_rresp,
    input wire m_axi_rlast,
    input wire [0:0] m_axi_rid,
    input wire m_axi_rvalid,
    output wire m_axi_rready,
    output reg axi_error,
    output reg [7:0] axi_error_code,
    output wire perf_matrix
);
    localparam integer BEAT = AXI_DW / 8;
    localparam integer ROW_BEATS = (VOCAB + BEAT - 1) / BEAT;
    localparam integer BURSTS = (ROW_BEATS + BURST - 1) / BURST;
    localparam [2:0] S_IDLE = 0, S_WAIT = 1, S_FETCH = 2, S_STREAM = 3, S_PRED = 4, S_HALT = 5;

    reg [2:0] state;
    reg [TOK_W-1:0] tok;
    reg [31:0] pos, pos_next, cnt, idx, best_idx, ar_count, r_count;
    reg signed [31:0] best;
    reg [7:0] row [0:BURSTS*BURST*BEAT-1];
    integer b;

    wire accept_ok = s_tok_tuser || pos_next < CONTEXT;
    assign s_tok_tready = state == S_IDLE && !rst && !overflow && accept_ok;

    wire [31:0] mix = idx * 32'h9E3779B1 + {{(32-TOK_W){1'b0}}, tok} * 32'd40503 + pos * 32'd977;
    wire signed [31:0] coarse = {{11{mix[31]}}, mix[31:27], 16'd0};
    wire signed [31:0] fine = DRAM != 0 ? {{16{row[idx][7]}}, row[idx], 8'd0} : 32'sd0;
    wire signed [31:0] logit = coarse + fine;
    assign m_logit_tvalid = state == S_STREAM;
    reg wiggle;
    assign m_logit_tdata = BUG == 2 ? logit ^ {31'd0, wiggle} : logit;
    assign m_logit_tlast = idx == (BUG == 1 ? VOCAB - 2 : VOCAB - 1);
    assign m_pred_tvalid = state == S_PRED;
    assign m_pred_tdata = best_idx[TOK_W-1:0];

    // AXI: BURSTS bursts of BURST beats from token * ROW_STRIDE, issued while earlier ones return.
    reg after_error_ar, after_error_done;
    assign m_axi_arvalid = (state == S_FETCH && ar_count < BURSTS) || after_error_ar;
    wire [31:0] offset = (BUG == 4 ? 4096 - BEAT : tok * ROW_STRIDE) + ar_count * BURST * BEAT
        + (BUG == 3 ? 1 : 0) + (BUG == 9 ? {31'd0, wiggle} * BEAT : 0);
    wire [63:0] araddr64 = base + {32'd0, offset};
    assign m_axi_araddr = araddr64[AXI_AW-1:0];
    assign m_axi_arlen = BURST[7:0] - (BUG == 8 ? 8'd0 : 8'd1);
    localparam integer SIZE = $clog2(BEAT);
    assign m_axi_arsize = SIZE[2:0];
    assign m_axi_arburst = 2'b01;
    assign m_axi_arid = 1'b0;
    assign m_axi_arprot = 3'b000;
    assign m_axi_arcache = BUG == 5 ? 4'b1100 : 4'b0011;
    assign m_axi_arqos = 4'd0;
    assign m_axi_arlock = 1'b0;
    assign m_axi_rready = state == S_FETCH || state == S_HALT;
    assign perf_matrix = state == S_FETCH;

    // The stand-in ignores rlast (it counts beats) and uses the top bits of mix.
    /* verilator lint_off UNUSEDSIGNAL */
    wire unused = ^{m_axi_rlast, m_axi_rid, araddr64, best_idx[31:TOK_W], mix[26:0]};
    /* verilator lint_on UNUSEDSIGNAL */

    always @(posedge clk) begin
        if (rst) begin
            state <= S_IDLE;
            pos_next <= 0;
            overflow <= 0;
            wiggle <= 0;
            axi_error <= 0;
            axi_error_code <= 0;
            after_error_ar <= 0;
            after_error_done <= 0;
        end else begin
            if (m_logit_tvalid && !m_logit_tready) wiggle <= !wiggle;
            if (BUG == 9 && m_axi_arvalid && !m_axi_arready) wiggle <= !wiggle;
            if (after_error_ar && m_axi_arready) after_error_ar <= 0;
            case (state)
                S_IDLE: begin
                    if (s_tok_tvalid && !accept_ok) overflow <= 1;
                    if (s_tok_tvalid && s_tok_tready) begin
                        tok <= s_tok_tdata;
                        pos <= s_tok_tuser ? 0 : pos_next;
                        pos_next <= (s_tok_tuser ? 0 : pos_next) + 1;
                        cnt <= 5 + 2 * (s_tok_tuser ? 0 : pos_next) - 1;
                        state <= S_WAIT;
                    end
                end
                S_WAIT: begin
                    if (cnt == 0) begin
                        state <= DRAM != 0 ? S_FETCH : S_STREAM;
                        idx <= 0;
                        ar_count <= 0;
                        r_count <= 0;
                        best <= 32'sh80000000;
                        best_idx <= 0;
                    end
                    cnt <= cnt - 1;
                end
                S_FETCH: begin
                    if (m_axi_arvalid && m_axi_arready) ar_count <= ar_count + 1;
                    if (m_axi_rvalid) begin
                        for (b = 0; b < BEAT; b = b + 1) row[r_count * BEAT + b] <= m_axi_rdata[8*b +: 8];
                        r_count <= r_count + 1;
                        if (r_count == BURSTS * BURST - 1) state <= S_STREAM;
                        if (m_axi_rresp[1] && BUG != 6) begin
                            axi_error <= 1;
                            axi_error_code <= {5'd0, m_axi_rresp[0] ? 3'd2 : 3'd1};
                            state <= S_HALT;
                        end
                    end
                end
                S_HALT: begin
                    if (BUG == 7 && !after_error_done) begin
                        after_error_ar <= 1;
                        after_error_done <= 1;
                    end
                end
                S_STREAM: begin
                    if (m_logit_tready) begin
                        if (logit > best) begin
                            best <= logit;
                            best_idx <= idx;
                        end
                        idx <= idx + 1;
                        if (idx == VOCAB - 1) state <= S_PRED;
                    end
                end
                default: begin
                    if (m_pred_tready) state <= S_IDLE;
                end
            endcase
        end
    end
`ifdef FORNAX_TRACE
    // Per-op trace (docs/SIMULATION.md): the stand-in reports its logits as op "logits" of layer 1.
    always @(posedge clk) begin
        if (!rst && state == S_STREAM && m_logit_tready) $display("FXT %0d 1 logits %0d %0d", pos, idx, logit);
    end
`endif
endmodule
