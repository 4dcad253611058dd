import {
  ApartmentOutlined,
  AuditOutlined,
  BarChartOutlined,
  CheckSquareOutlined,
  FieldTimeOutlined,
  FileTextOutlined,
  InboxOutlined,
  LogoutOutlined,
  PlayCircleOutlined,
  SendOutlined,
} from '@ant-design/icons';
import type { MenuProps } from 'antd';
import { App as AntApp, Button, Layout, Menu, Result, Space, Spin, Tag, Typography } from 'antd';
import { type ReactNode, useCallback, useEffect, useMemo, useState } from 'react';
import {
  ApiError,
  errorText,
  get,
  onPasswordChangeRequired,
  onUnauthenticated,
  request,
  setCsrfToken,
} from './api.ts';
import { AnnualReportPage } from './pages/AnnualReport.tsx';
import { CasePage } from './pages/CasePage.tsx';
import { InboxPage, isInboxView } from './pages/Inbox.tsx';
import { InfoRequestsPage } from './pages/InfoRequests.tsx';
import { LoginPage } from './pages/Login.tsx';
import { PasswordChange } from './pages/PasswordChange.tsx';
import { RecordsPage } from './pages/Records.tsx';
import { RegistryPage } from './pages/Registry.tsx';
import { StartCasePage } from './pages/StartCase.tsx';
import { TaskPage } from './pages/TaskPage.tsx';
import { Link, match, navigate, usePath } from './router.tsx';
import { SessionContext, type SignedIn } from './session.tsx';
import type { LoginAnswer, SessionAnswer, User } from './types.ts';

type State =
  | { status: 'loading' }
  | { status: 'out'; notice?: string }
  | { status: 'in'; user: User }
  /** Signed in, but the API refuses everything until the password is changed (first login, reset). */
  | { status: 'mustChange' }
  | { status: 'error'; message: string };

const roleNames: Record<string, string> = {
  sysadmin: '系统管理员',
  secadmin: '安全管理员',
  auditor: '审计管理员',
  leader: '领导',
  staff: '工作人员',
};

interface Screen {
  pattern: string;
  render(params: Record<string, string>): ReactNode;
}

// Each screen is listed once: the menu key is the first path segment, so deep pages light up their section.
const screens: Screen[] = [
  { pattern: '/', render: () => <RegistryPage unitId={null} /> },
  { pattern: '/org', render: () => <RegistryPage unitId={null} /> },
  { pattern: '/org/:unitId', render: (p) => <RegistryPage unitId={p.unitId ?? null} /> },
  {
    pattern: '/tasks/:view',
    render: (p) => (p.view && isInboxView(p.view) ? <InboxPage key={p.view} view={p.view} /> : null),
  },
  { pattern: '/task/:id', render: (p) => (p.id ? <TaskPage key={p.id} id={p.id} /> : null) },
  { pattern: '/case/:id', render: (p) => (p.id ? <CasePage key={p.id} id={p.id} /> : null) },
  { pattern: '/start', render: () => <StartCasePage /> },
  { pattern: '/records', render: () => <RecordsPage /> },
  { pattern: '/info-requests', render: () => <InfoRequestsPage /> },
  { pattern: '/annual-report', render: () => <AnnualReportPage /> },
];

const menuItems: MenuProps['items'] = [
  { key: '/org', icon: <ApartmentOutlined />, label: <Link to="/org">定岗定责</Link> },
  {
    type: 'group',
    label: '定流程',
    children: [
      { key: '/tasks/open', icon: <InboxOutlined />, label: <Link to="/tasks/open">待办</Link> },
      { key: '/tasks/done', icon: <CheckSquareOutlined />, label: <Link to="/tasks/done">已办</Link> },
      { key: '/tasks/started', icon: <SendOutlined />, label: <Link to="/tasks/started">我发起的</Link> },
      { key: '/tasks/overdue', icon: <FieldTimeOutlined />, label: <Link to="/tasks/overdue">超期</Link> },
      { key: '/start', icon: <PlayCircleOutlined />, label: <Link to="/start">发起办件</Link> },
    ],
  },
  {
    type: 'group',
    label: '政务公开',
    children: [
      { key: '/records', icon: <FileTextOutlined />, label: <Link to="/records">政府信息</Link> },
      { key: '/info-requests', icon: <AuditOutlined />, label: <Link to="/info-requests">依申请公开</Link> },
      { key: '/annual-report', icon: <BarChartOutlined />, label: <Link to="/annual-report">年度报告</Link> },
    ],
  },
];

function menuKey(path: string): string {
  if (path === '/' || path.startsWith('/org')) return '/org';
  // a task or a case opened from an inbox keeps 待办 lit
  if (path.startsWith('/task/') || path.startsWith('/case/')) return '/tasks/open';
  return path;
}

export function App() {
  const [state, setState] = useState<State>({ status: 'loading' });
  const path = usePath();
  const { message } = AntApp.useApp();

  const loadSession = useCallback(async () => {
    try {
      const answer = await get<SessionAnswer>('/session');
      if (answer.csrfToken) setCsrfToken(answer.csrfToken);
      setState(answer.mustChangePassword ? { status: 'mustChange' } : { status: 'in', user: answer.user });
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) setState({ status: 'out' });
      else if (e instanceof ApiError && e.code === 'password_change_required')
        setState({ status: 'mustChange' });
      else setState({ status: 'error', message: errorText(e) });
    }
  }, []);

  useEffect(() => {
    void loadSession();
  }, [loadSession]);

  useEffect(() => {
    const offAuth = onUnauthenticated((notice) => {
      setCsrfToken(null);
      setState({ status: 'out', notice });
    });
    const offPassword = onPasswordChangeRequired(() => setState({ status: 'mustChange' }));
    return () => {
      offAuth();
      offPassword();
    };
  }, []);

  const logout = useCallback(async () => {
    try {
      await request('DELETE', '/session');
    } catch (e) {
      // a session that is already gone is logged out all the same
      if (!(e instanceof ApiError && e.status === 401)) message.error(errorText(e));
    }
    setCsrfToken(null);
    setState({ status: 'out', notice: '您已退出登录' });
  }, [message]);

  const signedIn: SignedIn | null = useMemo(
    () =>
      state.status === 'in' ? { user: state.user, isAdmin: state.user.role === 'sysadmin', logout } : null,
    [state, logout],
  );

  if (state.status === 'loading') {
    return (
      <div className="gk-center">
        <Spin size="large" tip="正在加载…">
          <div style={{ width: 120, height: 80 }} />
        </Spin>
      </div>
    );
  }
  if (state.status === 'error') {
    return (
      <Result
        status="error"
        title="工作台无法连接服务器"
        subTitle={state.message}
        extra={<Button onClick={() => window.location.reload()}>重试</Button>}
      />
    );
  }
  if (state.status === 'mustChange') {
    return (
      <PasswordChange
        forced
        onChanged={() => {
          message.success('密码已修改');
          setState({ status: 'loading' });
          void loadSession();
        }}
        onLogout={logout}
      />
    );
  }
  if (state.status === 'out' || !signedIn) {
    return (
      <LoginPage
        notice={state.status === 'out' ? state.notice : undefined}
        onLoggedIn={(answer: LoginAnswer) =>
          setState(answer.mustChangePassword ? { status: 'mustChange' } : { status: 'in', user: answer.user })
        }
      />
    );
  }

  let content: ReactNode = null;
  for (const screen of screens) {
    const params = match(screen.pattern, path);
    if (params) {
      content = screen.render(params);
      break;
    }
  }
  if (!content) {
    content = (
      <Result
        status="404"
        title="页面不存在"
        extra={
          <Button type="primary" onClick={() => navigate('/org')}>
            返回定岗定责
          </Button>
        }
      />
    );
  }

  return (
    <SessionContext.Provider value={signedIn}>
      <Layout style={{ minHeight: '100vh' }}>
        <Layout.Header className="gk-header">
          <Typography.Text strong className="gk-brand">
            公开 · 工作台
          </Typography.Text>
          <Space>
            <span>
              <strong className="gk-user-name">{signedIn.user.displayName}</strong>{' '}
              <Tag>{signedIn.user.roleName ?? roleNames[signedIn.user.role]}</Tag>
            </span>
            <Button icon={<LogoutOutlined />} onClick={logout}>
              退出
            </Button>
          </Space>
        </Layout.Header>
        <Layout>
          <Layout.Sider width={180} theme="light">
            <nav aria-label="主菜单">
              <Menu mode="inline" selectedKeys={[menuKey(path)]} items={menuItems} />
            </nav>
          </Layout.Sider>
          <Layout.Content className="gk-content">
            <main>{content}</main>
          </Layout.Content>
        </Layout>
      </Layout>
    </SessionContext.Provider>
  );
}
