// Simple dual-port RAM: one synchronous write port, one synchronous read port with a registered
// output (block RAM inferable). Contents are not reset.
module fornax_ram #(
    parameter integer WIDTH = 32,
    parameter integer DEPTH = 16,
    parameter integer AW = 4
) (
    input wire clk,
    input wire we,
    input wire [AW-1:0] waddr,
    input wire [WIDTH-1:0] wdata,
    input wire [AW-1:0] raddr,
    output reg [WIDTH-1:0] rdata
);
    reg [WIDTH-1:0] mem [0:DEPTH-1];
    always @(posedge clk) begin
        if (we) mem[waddr] <= wdata;
        rdata <= mem[raddr];
    end
endmodule
