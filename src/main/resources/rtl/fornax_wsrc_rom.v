// Weight source for --weights rom: the weight beats and row constants live in on-chip ROMs
// (block RAM, $readmemh); each request streams a run of beats and a run of constants. A new
// request is taken as soon as the previous one has been read out, so weights are prefetched.
module fornax_wsrc_rom #(
    parameter integer LANES = 16,
    parameter integer WDEPTH = 16,
    parameter integer WAW = 4,
    parameter integer CDEPTH = 16,
    parameter integer CAW = 4,
    parameter WFILE = "weights.mem",
    parameter CFILE = "consts.mem"
) (
    input wire clk,
    input wire rst,
    input wire req_valid,
    output wire req_ready,
    input wire [31:0] req_wbase,
    input wire [31:0] req_nbeats,
    input wire [31:0] req_cbase,
    input wire [31:0] req_nrows,
    output wire w_valid,
    output wire [LANES*8-1:0] w_data,
    input wire w_ready,
    output wire c_valid,
    output wire [63:0] c_data,
    input wire c_ready
);
    wire w_idle, c_idle;
    assign req_ready = w_idle && c_idle && !rst;
    wire go = req_valid && req_ready;
    fornax_rom_stream #(.WIDTH(LANES*8), .DEPTH(WDEPTH), .AW(WAW), .FILE(WFILE)) wstream (
        .clk(clk), .rst(rst), .start(go), .base(req_wbase), .count(req_nbeats), .idle(w_idle),
        .out_valid(w_valid), .out_data(w_data), .out_ready(w_ready));
    fornax_rom_stream #(.WIDTH(64), .DEPTH(CDEPTH), .AW(CAW), .FILE(CFILE)) cstream (
        .clk(clk), .rst(rst), .start(go), .base(req_cbase), .count(req_nrows), .idle(c_idle),
        .out_valid(c_valid), .out_data(c_data), .out_ready(c_ready));
endmodule
