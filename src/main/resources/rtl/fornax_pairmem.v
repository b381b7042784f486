// A memory of NE-element int16 words (one head of q, k or v) built from NE element RAMs, so that a
// word can be written one rotation pair at a time (elements i and i + NE/2 in the same cycle) and
// read whole in one cycle (block RAM inferable per element).
module fornax_pairmem #(
    parameter integer NE = 8,
    parameter integer DEPTH = 16,
    parameter integer AW = 4
) (
    input wire clk,
    input wire we,
    input wire [AW-1:0] waddr,
    input wire [7:0] wi,
    input wire [15:0] wa,
    input wire [15:0] wb,
    input wire re,
    input wire [AW-1:0] raddr,
    output wire [NE*16-1:0] rdata
);
    localparam integer HALF = NE / 2;
    genvar e;
    generate
        for (e = 0; e < NE; e = e + 1) begin : g_el
            wire hit = (e < HALF) ? (wi == e[7:0]) : (wi == e[7:0] - HALF[7:0]);
            fornax_ram #(.WIDTH(16), .DEPTH(DEPTH), .AW(AW)) el_ram (
                .clk(clk), .we(we && hit), .waddr(waddr), .wdata((e < HALF) ? wa : wb),
                .re(re), .raddr(raddr), .rdata(rdata[e*16 +: 16]));
        end
    endgenerate
endmodule
