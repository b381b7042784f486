// Gated-MLP activation (IntOps.activate): a = g*f(g) for a Q16 gate value g, f from the 1025-entry
// GATE table with linear interpolation; g >= 16 passes through, g < -16 gives 0. Pipelined, one
// value per cycle, latency 9:
//   0 table addresses (x = g + 16*2^16: index x >> 11 and the next one, each one adder)
//   1 block RAM read  2 its output register  3 d = T[i+1] - T[i]  4, 5 d*frac (DSP M, P registers)
//   6 f = T[i] + floor(d*frac / 2^11)  7, 8 rshr(g, 4)*f (DSP M, P)  9 a = rshr(product, 11)
module fornax_activate #(
    parameter integer TAG_W = 1,
    parameter GATE_FILE = "gate.mem"
) (
    input wire clk,
    input wire rst,
    input wire in_valid,
    input wire signed [31:0] g,
    input wire [TAG_W-1:0] in_tag,
    output reg out_valid,
    output reg signed [31:0] a,
    output reg [TAG_W-1:0] out_tag
);
`include "fornax_fn.vh"
`include "fornax_isa.vh"

    localparam integer LATENCY = 9;
    // valid, tag, g and the pass/zero flags travel in shift registers beside the data
    reg [LATENCY-2:0] v_sr;
    reg [TAG_W-1:0] tag_sr [0:LATENCY-2];
    reg signed [31:0] g_sr [0:LATENCY-2];
    reg [LATENCY-2:0] pass_sr, zero_sr;
    reg [10:0] frac1, frac2, frac3;
    integer k;

    // stage 0: table indices (x0 >> 11 and (x0 + 2^11) >> 11), the flags, the fraction
    wire signed [32:0] g33 = {g[31], g};
    wire signed [32:0] x0 = g33 + 33'sd1048576;
    wire signed [32:0] x1 = g33 + 33'sd1050624;
    wire pass0 = !g[31] && (g[30:20] != 11'd0);          // g >= 2^20
    wire zero0 = g[31] && (g[30:20] != 11'h7ff);         // g < -2^20
    wire [15:0] t_lo;
    wire [15:0] t_hi;
    fornax_rom #(.WIDTH(16), .DEPTH(`FORNAX_GATE_DEPTH), .AW(`FORNAX_GATE_AW), .FILE(GATE_FILE), .OREG(1)) rom_lo (
        .clk(clk), .addr({1'b0, x0[20:11]}), .data(t_lo));
    fornax_rom #(.WIDTH(16), .DEPTH(`FORNAX_GATE_DEPTH), .AW(`FORNAX_GATE_AW), .FILE(GATE_FILE), .OREG(1)) rom_hi (
        .clk(clk), .addr(x1[21:11]), .data(t_hi));
    always @(posedge clk) begin
        v_sr <= {v_sr[LATENCY-3:0], in_valid} & {(LATENCY-1){!rst}};
        tag_sr[0] <= in_tag;
        g_sr[0] <= g;
        pass_sr <= {pass_sr[LATENCY-3:0], pass0 || zero0};
        zero_sr <= {zero_sr[LATENCY-3:0], zero0};
        for (k = 1; k < LATENCY - 1; k = k + 1) begin
            tag_sr[k] <= tag_sr[k-1];
            g_sr[k] <= g_sr[k-1];
        end
        frac1 <= x0[10:0];
        frac2 <= frac1;
        frac3 <= frac2;
        out_valid <= v_sr[LATENCY-2] && !rst;
        out_tag <= tag_sr[LATENCY-2];
    end

    // stage 3: d = T[i+1] - T[i] (words registered by the ROMs' output registers at stage 2)
    reg signed [16:0] d3;
    reg [15:0] lo3, lo4, lo5;
    always @(posedge clk) begin
        d3 <= $signed({1'b0, t_hi}) - $signed({1'b0, t_lo});
        lo3 <= t_lo;
    end

    // stages 4, 5: d*frac
    reg signed [28:0] dp4, dp5;
    always @(posedge clk) begin
        dp4 <= d3 * $signed({1'b0, frac3});
        dp5 <= dp4;
        lo4 <= lo3;
        lo5 <= lo4;
    end

    // stage 6: f = T[i] + floor(d*frac / 2^11); g_r = rshr(g, 4) (|g| < 2^21 on this path)
    reg signed [17:0] f6;
    reg signed [22:0] gr6;
    wire signed [31:0] g5 = g_sr[4];
    wire signed [27:0] g_r = $signed(g5[31:4]) + $signed({27'd0, g5[3]});
    always @(posedge clk) begin
        f6 <= $signed({2'b00, lo5}) + $signed(dp5[28:11]);
        gr6 <= g_r[22:0];
    end

    // stages 7, 8: rshr(g, 4) * f
    reg signed [40:0] pr7, pr8;
    always @(posedge clk) begin
        pr7 <= gr6 * f6;
        pr8 <= pr7;
    end

    // stage 9: a = rshr(product, 11)
    wire signed [29:0] a_r = $signed(pr8[40:11]) + $signed({29'd0, pr8[10]});
    wire _unused_ok = &{1'b0, x0[32:21], x1[32:22], x1[10:0], dp5[10:0], g5[2:0], g_r[27:23], pr8[9:0], a_r[29]};
    always @(posedge clk) begin
        a <= zero_sr[LATENCY-2] ? 32'sd0 : (pass_sr[LATENCY-2] ? g_sr[LATENCY-2] : {{2{a_r[29]}}, a_r});
    end
endmodule
