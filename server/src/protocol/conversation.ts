// The provider-neutral conversation: what the model is sent, message by message. Declared in the
// protocol because the projection of the event log rebuilds it (for resume) and drivers translate it.

export interface ToolCallRequest {
  id: string;
  name: string;
  /** The arguments exactly as the model produced them (may be invalid JSON; the loop reports that). */
  argsJson: string;
}

export type Message =
  | { role: 'user'; content: string }
  | { role: 'assistant'; text: string; toolCalls: ToolCallRequest[] }
  | { role: 'tool'; callId: string; name: string; content: string; isError: boolean };
