// Synchronous ROM with a registered output (block RAM inferable), initialised by $readmemh.
module fornax_rom #(
    parameter integer WIDTH = 16,
    parameter integer DEPTH = 16,
    parameter integer AW = 4,
    parameter FILE = "rom.mem"
) (
    input wire clk,
    input wire [AW-1:0] addr,
    output reg [WIDTH-1:0] data
);
    reg [WIDTH-1:0] mem [0:DEPTH-1];
    initial $readmemh(FILE, mem);
    always @(posedge clk) data <= mem[addr];
endmodule
