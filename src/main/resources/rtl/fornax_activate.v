// Gated-MLP activation (IntOps.activate): a = g*f(g) for a Q16 gate value g, f from the 1025-entry
// GATE table with linear interpolation; g >= 16 passes through, g < -16 gives 0. Pipelined, one
// value per cycle, latency 4 (table read, interpolation, product, rounding).
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

    // stage 0 (combinational): x = g + 16*2^16, table index x>>11, fraction x & 0x7FF
    wire signed [32:0] g33 = {g[31], g};
    wire signed [32:0] x0 = g33 + 33'sd1048576;
    wire pass0 = g33 >= 33'sd1048576;
    wire zero0 = g33 < -33'sd1048576;
    wire [9:0] idx0 = x0[20:11];
    wire [10:0] idx1 = {1'b0, idx0} + 11'd1;

    wire [15:0] t_lo;
    wire [15:0] t_hi;
    fornax_rom #(.WIDTH(16), .DEPTH(`FORNAX_GATE_DEPTH), .AW(`FORNAX_GATE_AW), .FILE(GATE_FILE)) rom_lo (
        .clk(clk), .addr({1'b0, idx0}), .data(t_lo));
    fornax_rom #(.WIDTH(16), .DEPTH(`FORNAX_GATE_DEPTH), .AW(`FORNAX_GATE_AW), .FILE(GATE_FILE)) rom_hi (
        .clk(clk), .addr(idx1), .data(t_hi));

    // stage 1: table words arrive
    reg v1, pass1, zero1;
    reg signed [31:0] g1;
    reg [10:0] frac1;
    reg [TAG_W-1:0] tag1;
    always @(posedge clk) begin
        v1 <= in_valid && !rst;
        pass1 <= pass0 || zero0;
        zero1 <= zero0;
        g1 <= g;
        frac1 <= x0[10:0];
        tag1 <= in_tag;
    end

    // stage 2: f = T[i] + floor((T[i+1]-T[i])*frac / 2^11)
    wire signed [16:0] diff1 = $signed({1'b0, t_hi}) - $signed({1'b0, t_lo});
    wire signed [28:0] dprod1 = diff1 * $signed({1'b0, frac1});
    wire signed [17:0] f1 = $signed({2'b00, t_lo}) + $signed(dprod1[28:11]);
    reg v2, pass2, zero2;
    reg signed [31:0] g2;
    reg signed [17:0] f2;
    reg [TAG_W-1:0] tag2;
    always @(posedge clk) begin
        v2 <= v1 && !rst;
        pass2 <= pass1;
        zero2 <= zero1;
        g2 <= g1;
        f2 <= f1;
        tag2 <= tag1;
    end

    // stage 3: product rshr(g, 4) * f (|g| < 2^21 on this path)
    wire signed [63:0] g_r = fn_rshr64({{32{g2[31]}}, g2}, 7'd4);
    reg v3, pass3, zero3;
    reg signed [31:0] g3;
    reg signed [40:0] prod3;
    reg [TAG_W-1:0] tag3;
    always @(posedge clk) begin
        v3 <= v2 && !rst;
        pass3 <= pass2;
        zero3 <= zero2;
        g3 <= g2;
        prod3 <= $signed(g_r[22:0]) * f2;
        tag3 <= tag2;
    end

    // stage 4: a = rshr(product, 11)
    wire signed [63:0] a_r = fn_rshr64({{23{prod3[40]}}, prod3}, 7'd11);
    wire _unused_ok = &{1'b0, x0[32:21], dprod1[10:0], g_r[63:23], a_r[63:32]};
    always @(posedge clk) begin
        out_valid <= v3 && !rst;
        a <= zero3 ? 32'sd0 : (pass3 ? g3 : a_r[31:0]);
        out_tag <= tag3;
    end
endmodule
