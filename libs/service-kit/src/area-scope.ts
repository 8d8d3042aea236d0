import { AreaCode } from "@civic/domain-kit";

// The gateway's hand-written routes still name these (they are being replaced by the generic
// transcoder); everything else uses AreaCode.
export const areaCovers = AreaCode.covers;
export const anyAreaCovers = AreaCode.anyCovers;
