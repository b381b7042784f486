// Simple dual-port RAM: one synchronous write port, one synchronous read port with a registered
// output and a read enable (block RAM inferable: the enable is the RAM's own). Contents are not
// reset. The read enable also spares a simulator the read while the RAM's user is idle.
module fornax_ram #(
    parameter integer WIDTH = 32,
    parameter integer DEPTH = 16,
    parameter integer AW = 4,
    parameter integer OREG = 0          // 1: the block RAM's own output register (read latency 2)
) (
    input wire clk,
    input wire we,
    input wire [AW-1:0] waddr,
    input wire [WIDTH-1:0] wdata,
    input wire re,
    input wire [AW-1:0] raddr,
    output reg [WIDTH-1:0] rdata
);
`include "fornax_fn.vh"

    // index bits of the array itself (AW may be wider than the depth needs)
    localparam integer IW = fn_addr_bits(DEPTH);
    reg [WIDTH-1:0] mem [0:DEPTH-1];
    reg [WIDTH-1:0] rd;
    always @(posedge clk) begin
        if (we) mem[waddr[IW-1:0]] <= wdata;
        if (re) rd <= mem[raddr[IW-1:0]];
    end
    generate
        if (OREG != 0) begin : g_oreg
            always @(posedge clk) rdata <= rd;
        end else begin : g_noreg
            always @(*) rdata = rd;
        end
    endgenerate
    generate
        if (AW > IW) begin : g_unused
            wire _unused_hi = &{1'b0, waddr[AW-1:IW], raddr[AW-1:IW]};
        end
    endgenerate
endmodule
