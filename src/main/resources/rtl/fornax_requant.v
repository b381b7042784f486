// The requantiser of NUMERICS.md (IntOps.requant): value acc*M*2^-sh, rounded half up, saturated to
// int32. The accumulator is first rounded to 23 magnitude bits (leading-bit count t, then a
// rounding shift) so that the multiply is one 25x18 DSP. Fully pipelined: one result per cycle,
// latency 4; a tag travels with each value.
module fornax_requant #(
    parameter integer TAG_W = 1
) (
    input wire clk,
    input wire rst,
    input wire in_valid,
    input wire signed [47:0] acc,
    input wire [16:0] m,
    input wire signed [11:0] sh,
    input wire [TAG_W-1:0] in_tag,
    output reg out_valid,
    output reg signed [31:0] y,
    output reg [TAG_W-1:0] out_tag
);
`include "fornax_fn.vh"

    // stage 1: t = max(0, bitlen(acc) - 23)
    reg v1;
    reg signed [47:0] acc1;
    reg [16:0] m1;
    reg signed [11:0] sh1;
    reg [6:0] t1;
    reg [TAG_W-1:0] tag1;
    wire [6:0] len0 = fn_bitlen64({{16{acc[47]}}, acc});
    always @(posedge clk) begin
        v1 <= in_valid && !rst;
        acc1 <= acc;
        m1 <= m;
        sh1 <= sh;
        t1 <= (len0 > 7'd23) ? (len0 - 7'd23) : 7'd0;
        tag1 <= in_tag;
    end

    // stage 2: a = rshr(acc, t), |a| <= 2^23; n = sh - t
    reg v2;
    reg signed [24:0] a2;
    reg [16:0] m2;
    reg signed [12:0] n2;
    reg [TAG_W-1:0] tag2;
    wire signed [63:0] a_full = fn_rshr64({{16{acc1[47]}}, acc1}, t1);
    wire _unused_ok = &{1'b0, a_full[63:25]};
    always @(posedge clk) begin
        v2 <= v1 && !rst;
        a2 <= a_full[24:0];
        m2 <= m1;
        n2 <= {sh1[11], sh1} - {6'd0, t1};
        tag2 <= tag1;
    end

    // stage 3: p = a*M (25 x 18 signed)
    reg v3;
    reg signed [42:0] p3;
    reg signed [12:0] n3;
    reg [TAG_W-1:0] tag3;
    wire signed [17:0] m_s = {1'b0, m2};
    always @(posedge clk) begin
        v3 <= v2 && !rst;
        p3 <= a2 * m_s;
        n3 <= n2;
        tag3 <= tag2;
    end

    // stage 4: sat32(rshr(p, n)); a left shift (n < 0) saturates whenever the exact result needs more
    // than 31 magnitude bits (bitlen(p) - n > 31), so it never wraps
    wire signed [63:0] p64 = {{21{p3[42]}}, p3};
    wire [12:0] neg_n = -n3;
    wire [13:0] left_bits = {7'd0, fn_bitlen64(p64)} + {1'b0, neg_n};
    reg signed [31:0] y4;
    always @(*) begin
        if (n3 >= 13'sd0) begin
            y4 = fn_sat32(fn_rshr64(p64, (n3 >= 13'sd63) ? 7'd63 : n3[6:0]));
        end else if (p3 == 43'sd0) begin
            y4 = 32'sd0;
        end else if (left_bits > 14'd31) begin
            y4 = p3[42] ? 32'sh80000000 : 32'sh7fffffff;
        end else begin
            y4 = fn_sat32(p64 <<< neg_n[4:0]);
        end
    end
    always @(posedge clk) begin
        out_valid <= v3 && !rst;
        y <= y4;
        out_tag <= tag3;
    end
endmodule
