// Width converter between a stream of IW-bit words and a stream of OW-bit words (IW/OW or OW/IW
// a power of two), cut into segments by commands: a segment is `count` output words, starting
// `skip` output words into its first input word (IW > OW only; the part of the last input word
// after the segment is dropped, the next segment starts on a new input word). Output word j of an
// input word is bits [j*OW +: OW] (little-endian); with IW < OW, OW/IW input words make one output
// word, the first in the low bits. The output is registered; a command waits one cycle to load.
module fornax_gearbox #(
    parameter integer IW = 512,
    parameter integer OW = 128,
    parameter integer CW = 32                // count bits
) (
    input wire clk,
    input wire rst,
    input wire cmd_valid,
    output wire cmd_ready,
    input wire [15:0] cmd_skip,
    input wire [CW-1:0] cmd_count,           // > 0
    input wire in_valid,
    input wire [IW-1:0] in_data,
    output wire in_ready,
    output reg out_valid,
    output reg [OW-1:0] out_data,
    input wire out_ready
);
    function automatic integer clog2;
        input integer v;
        integer r;
        begin
            r = 0;
            while ((1 << r) < v) r = r + 1;
            clog2 = r;
        end
    endfunction
    localparam integer R = (IW > OW) ? IW / OW : OW / IW;   // words of one width per word of the other
    localparam integer RB = (R > 1) ? clog2(R) : 1;

    reg act;
    reg last;                                // the next output word ends the segment
    reg [CW-1:0] left;                       // output words left in the segment
    reg [RB-1:0] k;                          // IW > OW: output word within the input word; IW < OW: input words gathered
    wire adv = !out_valid || out_ready;      // the output register can take a word
    assign cmd_ready = !act && !rst;
    wire load = cmd_valid && cmd_ready;

    wire take;                               // an input word is consumed this cycle
    wire emit;                               // an output word is produced this cycle
    generate
        if (IW > OW) begin : g_scatter
            assign emit = act && in_valid && adv;
            assign take = emit && (last || k == R[RB-1:0] - 1'b1);
            always @(posedge clk) begin
                if (emit) out_data <= in_data[k*OW +: OW];
            end
        end else if (IW < OW) begin : g_gather
            reg [OW-IW-1:0] acc;             // the input words gathered so far
            wire full = k == R[RB-1:0] - 1'b1;
            assign take = act && in_valid && (!full || adv);
            assign emit = take && full;
            always @(posedge clk) begin
                if (take && !full) acc[k*IW +: IW] <= in_data;
                if (emit) out_data <= {in_data, acc};
            end
        end else begin : g_pass
            assign emit = act && in_valid && adv;
            assign take = emit;
            always @(posedge clk) begin
                if (emit) out_data <= in_data;
            end
        end
    endgenerate
    assign in_ready = take;

    always @(posedge clk) begin
        if (adv) out_valid <= emit;
        if (load) begin
            act <= 1'b1;
            left <= cmd_count;
            last <= cmd_count == {{(CW-1){1'b0}}, 1'b1};
            k <= (IW > OW) ? cmd_skip[RB-1:0] : {RB{1'b0}};
        end
        if (IW > OW) begin
            if (emit) k <= take ? {RB{1'b0}} : k + 1'b1;
        end else if (IW < OW) begin
            if (take) k <= emit ? {RB{1'b0}} : k + 1'b1;
        end
        if (emit) begin
            left <= left - 1'b1;
            last <= left == {{(CW-2){1'b0}}, 2'd2};
            if (last) act <= 1'b0;
        end
        if (rst) begin
            act <= 1'b0;
            out_valid <= 1'b0;
        end
    end
    wire _unused_ok = &{1'b0, cmd_skip};
endmodule
