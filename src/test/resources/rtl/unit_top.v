// Test wrapper: the requantiser and the activation side by side, fed the same tag.
module unit_top (
    input wire clk,
    input wire rst,
    input wire in_valid,
    input wire signed [47:0] acc,
    input wire [16:0] m,
    input wire signed [11:0] sh,
    input wire signed [31:0] g,
    input wire [19:0] tag,
    output wire rq_valid,
    output wire signed [31:0] rq_y,
    output wire [19:0] rq_tag,
    output wire act_valid,
    output wire signed [31:0] act_a,
    output wire [19:0] act_tag
);
    fornax_requant #(.TAG_W(20)) rq (.clk(clk), .rst(rst), .in_valid(in_valid), .acc(acc), .m(m), .sh(sh),
        .in_tag(tag), .out_valid(rq_valid), .y(rq_y), .out_tag(rq_tag));
    fornax_activate #(.TAG_W(20), .GATE_FILE("gate.mem")) act (.clk(clk), .rst(rst), .in_valid(in_valid),
        .g(g), .in_tag(tag), .out_valid(act_valid), .a(act_a), .out_tag(act_tag));
endmodule
