// LANES int8 x int16 multipliers feeding a pipelined adder tree (one register per level, so a
// wide sum never becomes one long carry chain) and a 48-bit accumulator. One beat per cycle; a row
// is the beats from `first` to `last`; its sum leaves with the tag of its last beat.
// Latency from a beat to its row's result: LOG2L + 2 cycles.
module fornax_mac_array #(
    parameter integer LANES = 16,
    parameter integer LOG2L = 4,
    parameter integer TAG_W = 1
) (
    input wire clk,
    input wire rst,
    input wire in_valid,
    input wire first,
    input wire last,
    input wire [LANES*8-1:0] w,
    input wire [LANES*16-1:0] x,
    input wire [TAG_W-1:0] in_tag,
    output reg out_valid,
    output reg signed [47:0] acc,
    output reg [TAG_W-1:0] out_tag
);
    localparam integer SUM_W = 24 + LOG2L;
    localparam integer NODES = 2 * LANES - 1;
    localparam integer DEPTH = LOG2L + 1;
`include "fornax_fn.vh"

    // products: int8 x int16 fits 24 bits signed
    function automatic signed [23:0] mul8x16;
        input [7:0] a;
        input [15:0] b;
        begin
            mul8x16 = $signed(a) * $signed(b);
        end
    endfunction
    genvar gi;

    // heap-ordered tree: node i has children 2i+1, 2i+2; leaves are nodes LANES-1 .. 2*LANES-2
    // (generate loops rather than for loops: simulators unroll these without limits). Each level
    // loads only when it receives a beat: a clock enable per level.
    reg signed [SUM_W-1:0] node [0:NODES-1];
    reg v_sr [0:DEPTH-1];
    function automatic signed [SUM_W-1:0] sext;
        input signed [23:0] p;
        begin
            sext = {{LOG2L{p[23]}}, p};
        end
    endfunction
    generate
        for (gi = 0; gi < LANES; gi = gi + 1) begin : g_leaf
            always @(posedge clk)
                if (in_valid) node[LANES - 1 + gi] <= sext(mul8x16(w[gi*8 +: 8], x[gi*16 +: 16]));
        end
        for (gi = 0; gi < LANES - 1; gi = gi + 1) begin : g_sum
            // a localparam, so the level is found at elaboration: Verilator runs a function call
            // in an index every cycle (it was a third of the Qwen2-0.5B simulation time)
            localparam integer STAGE = LOG2L - 1 - fn_tree_level(gi);
            always @(posedge clk)
                if (v_sr[STAGE]) node[gi] <= node[2*gi + 1] + node[2*gi + 2];
        end
    endgenerate

    // control travels beside the tree: stage k holds what entered k+1 cycles ago
    reg first_sr [0:DEPTH-1];
    reg last_sr [0:DEPTH-1];
    reg [TAG_W-1:0] tag_sr [0:DEPTH-1];
    integer k;
    always @(posedge clk) begin
        v_sr[0] <= in_valid && !rst;
        first_sr[0] <= first;
        last_sr[0] <= last;
        tag_sr[0] <= in_tag;
        for (k = 1; k < DEPTH; k = k + 1) begin
            v_sr[k] <= v_sr[k-1] && !rst;
            first_sr[k] <= first_sr[k-1];
            last_sr[k] <= last_sr[k-1];
            tag_sr[k] <= tag_sr[k-1];
        end
    end

    wire signed [47:0] root = {{(48-SUM_W){node[0][SUM_W-1]}}, node[0]};
    reg signed [47:0] run;
    always @(posedge clk) begin
        out_valid <= 1'b0;
        if (v_sr[DEPTH-1]) begin
            if (last_sr[DEPTH-1]) begin
                acc <= first_sr[DEPTH-1] ? root : run + root;
                out_tag <= tag_sr[DEPTH-1];
                out_valid <= 1'b1;
            end
            run <= first_sr[DEPTH-1] ? root : run + root;
        end
        if (rst) out_valid <= 1'b0;
    end
endmodule
