// Running maximum magnitude bit count of a stream of signed values, pipelined for timing:
// max_i ulen(|v_i|) = ulen(OR_i |v_i|), so the per-value work is an absolute value (one carry
// chain, stage 1) and an OR into an accumulator (stage 2); ulen of the accumulator (a flat
// leading-bit count, stage 3) is the output. `clear` empties the accumulator for values that
// arrive from the next cycle on. A value in at cycle c is counted in `mbits_o` from cycle c + 3.
module fornax_maxbits #(
    parameter integer W = 32            // value width, at most 33
) (
    input wire clk,
    input wire clear,
    input wire in_valid,
    input wire signed [W-1:0] val,
    output reg [6:0] mbits_o
);
`include "fornax_fn.vh"

    reg v1, c1;
    reg [W-1:0] abs1;
    reg [W-1:0] acc;
    wire [63:0] acc64 = {{(64-W){1'b0}}, acc};
    always @(posedge clk) begin
        v1 <= in_valid && !clear;
        c1 <= clear;
        abs1 <= val[W-1] ? (~val + 1'b1) : val;
        if (c1) acc <= {W{1'b0}};
        else if (v1) acc <= acc | abs1;
        mbits_o <= (acc64[63:32] != 32'd0) ? 7'd33 : fn_ulen32(acc64[31:0]);
    end
    wire _unused_hi = &{1'b0, acc64[63:33]};
endmodule
