/** Whether a file-system error means the disk (or the user's quota) is full. */
export function isDiskFullError(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return code === 'ENOSPC' || code === 'EDQUOT';
}
