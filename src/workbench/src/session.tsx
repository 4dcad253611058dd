import { createContext, useContext } from 'react';
import type { User } from './types.ts';

export interface SignedIn {
  user: User;
  /** Administrators (系统管理员) edit the registry; everybody else reads it. */
  isAdmin: boolean;
  logout(): Promise<void>;
}

export const SessionContext = createContext<SignedIn | null>(null);

export function useSession(): SignedIn {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside a signed-in workbench');
  return session;
}
