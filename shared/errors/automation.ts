/** Error codes of saved packets, their templates and sequences (the Packets panel, --sequence). */
export type AutomationErrorCode =
  | 'PACKETS_ERR_TOO_LARGE'
  | 'PACKETS_ERR_NOT_JSON'
  | 'PACKETS_ERR_INVALID'
  | 'PACKETS_ERR_NOT_FOUND'
  | 'PACKETS_ERR_WRITE'
  | 'TEMPLATE_ERR_SYNTAX'
  | 'TEMPLATE_ERR_TOO_LARGE'
  | 'SEQ_ERR_STEP_FAILED'
  | 'SEQ_ERR_STOPPED'
  | 'SEQ_ERR_TIME_LIMIT'
  | 'SEQ_ERR_STEP_LIMIT'
  | 'SEQ_ERR_BUSY';
