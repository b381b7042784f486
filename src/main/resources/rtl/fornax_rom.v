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
`include "fornax_fn.vh"

    localparam integer IW = fn_addr_bits(DEPTH);
    reg [WIDTH-1:0] mem [0:DEPTH-1];
    initial $readmemh(FILE, mem);
    always @(posedge clk) data <= mem[addr[IW-1:0]];
    generate
        if (AW > IW) begin : g_unused
            wire _unused_hi = &{1'b0, addr[AW-1:IW]};
        end
    endgenerate
endmodule
