import {
  addTool,
  Enums as ToolEnums,
  PanTool,
  StackScrollTool,
  ToolGroupManager,
  WindowLevelTool,
  ZoomTool,
  type Types as ToolTypes,
} from '@cornerstonejs/tools';

const { MouseBindings, KeyboardBindings } = ToolEnums;
let registered = false;

/**
 * The viewer's mouse tools: left-drag window/level, right-drag zoom, middle-drag or shift+left-drag pan,
 * wheel stack scroll.
 */
export function createStackToolGroup(toolGroupId: string): ToolTypes.IToolGroup {
  if (!registered) {
    for (const tool of [WindowLevelTool, ZoomTool, PanTool, StackScrollTool]) addTool(tool);
    registered = true;
  }
  ToolGroupManager.destroyToolGroup(toolGroupId);
  const group = ToolGroupManager.createToolGroup(toolGroupId)!;
  group.addTool(toolName(WindowLevelTool));
  group.addTool(toolName(ZoomTool));
  group.addTool(toolName(PanTool));
  group.addTool(toolName(StackScrollTool));
  group.setToolActive(toolName(WindowLevelTool), { bindings: [{ mouseButton: MouseBindings.Primary }] });
  group.setToolActive(toolName(ZoomTool), { bindings: [{ mouseButton: MouseBindings.Secondary }] });
  group.setToolActive(toolName(PanTool), {
    bindings: [
      { mouseButton: MouseBindings.Auxiliary },
      { mouseButton: MouseBindings.Primary, modifierKey: KeyboardBindings.Shift },
    ],
  });
  group.setToolActive(toolName(StackScrollTool), { bindings: [{ mouseButton: MouseBindings.Wheel }] });
  return group;
}

export function destroyStackToolGroup(toolGroupId: string): void {
  ToolGroupManager.destroyToolGroup(toolGroupId);
}

/** Cornerstone declares `toolName` on its tool classes without a type. */
function toolName(tool: { toolName: unknown }): string {
  return String(tool.toolName);
}
