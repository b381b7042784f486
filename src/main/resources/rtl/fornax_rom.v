// Synchronous ROM with a registered output (block RAM inferable), initialised by $readmemh.
// rom_style "block": Yosys (memory_libmap) and Vivado otherwise build small tables from LUTs, a
// deep mux tree in front of the arithmetic. OREG = 1 adds the block RAM's own output register
// (read latency 2; the register feeds nothing but the data output, so it maps to DOA_REG).
module fornax_rom #(
    parameter integer WIDTH = 16,
    parameter integer DEPTH = 16,
    parameter integer AW = 4,
    parameter FILE = "rom.mem",
    parameter integer OREG = 0
) (
    input wire clk,
    input wire [AW-1:0] addr,
    output reg [WIDTH-1:0] data
);
`include "fornax_fn.vh"

    localparam integer IW = fn_addr_bits(DEPTH);
`ifdef FORNAX_ROM_STYLE_AUTO
    reg [WIDTH-1:0] mem [0:DEPTH-1];             // the synthesis tool chooses (the iCE40 flow)
`else
    (* rom_style = "block" *) reg [WIDTH-1:0] mem [0:DEPTH-1];
`endif
    initial $readmemh(FILE, mem);
    reg [WIDTH-1:0] rd;
    always @(posedge clk) rd <= mem[addr[IW-1:0]];
    generate
        if (OREG != 0) begin : g_oreg
            always @(posedge clk) data <= rd;
        end else begin : g_noreg
            always @(*) data = rd;
        end
    endgenerate
    generate
        if (AW > IW) begin : g_unused
            wire _unused_hi = &{1'b0, addr[AW-1:IW]};
        end
    endgenerate
endmodule
