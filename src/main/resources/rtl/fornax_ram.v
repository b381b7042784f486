// Simple dual-port RAM: one synchronous write port, one synchronous read port with a registered
// output and a read enable (block RAM inferable: the enable is the RAM's own). Contents are not
// reset. The read enable also spares a simulator the read while the RAM's user is idle.
module fornax_ram #(
    parameter integer WIDTH = 32,
    parameter integer DEPTH = 16,
    parameter integer AW = 4
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
    always @(posedge clk) begin
        if (we) mem[waddr[IW-1:0]] <= wdata;
        if (re) rdata <= mem[raddr[IW-1:0]];
    end
    generate
        if (AW > IW) begin : g_unused
            wire _unused_hi = &{1'b0, waddr[AW-1:IW], raddr[AW-1:IW]};
        end
    endgenerate
endmodule
