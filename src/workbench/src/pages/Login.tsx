import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { useState } from 'react';
import { ApiError, errorText, post, setCsrfToken } from '../api.ts';
import { showFieldErrors, topLevel } from '../forms.ts';
import type { LoginAnswer } from '../types.ts';

interface Props {
  onLoggedIn(answer: LoginAnswer): void;
  notice?: string | undefined;
}

interface Values {
  username: string;
  password: string;
  totp?: string;
}

export function LoginPage({ onLoggedIn, notice }: Props) {
  const [form] = Form.useForm<Values>();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // the second factor is asked for only when the API says this account has one
  const [needTotp, setNeedTotp] = useState(false);

  const submit = async (values: Values) => {
    setBusy(true);
    setError(null);
    try {
      const answer = await post<LoginAnswer>('/session', {
        username: values.username,
        password: values.password,
        ...(needTotp && values.totp ? { totp: values.totp.trim() } : {}),
      });
      setCsrfToken(answer.csrfToken);
      onLoggedIn(answer);
    } catch (e) {
      if (e instanceof ApiError && (e.code === 'totp_required' || e.code === 'totp_failed'))
        setNeedTotp(true);
      showFieldErrors(form, e, topLevel('username', 'password', 'totp'));
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="gk-login">
      <Card style={{ width: 380 }}>
        <Typography.Title level={3} style={{ textAlign: 'center' }}>
          公开 · 工作台
        </Typography.Title>
        <Typography.Paragraph type="secondary" style={{ textAlign: 'center' }}>
          定岗定责 · 定流程 · 政务公开
        </Typography.Paragraph>
        {notice && !error ? (
          <Alert type="info" showIcon message={notice} style={{ marginBottom: 16 }} />
        ) : null}
        {error ? (
          <Alert type="error" showIcon role="alert" message={error} style={{ marginBottom: 16 }} />
        ) : null}
        <Form form={form} layout="vertical" onFinish={submit} requiredMark={false} aria-label="登录">
          <Form.Item label="用户名" name="username" rules={[{ required: true, message: '请输入用户名' }]}>
            <Input prefix={<UserOutlined />} autoComplete="username" autoFocus />
          </Form.Item>
          <Form.Item label="密码" name="password" rules={[{ required: true, message: '请输入密码' }]}>
            <Input.Password prefix={<LockOutlined />} autoComplete="current-password" />
          </Form.Item>
          {needTotp ? (
            <Form.Item
              label="动态口令"
              name="totp"
              extra="身份验证器中的 6 位数字，或一个恢复码"
              rules={[{ required: true, message: '请输入动态口令（或恢复码）' }]}
            >
              <Input autoComplete="one-time-code" inputMode="numeric" />
            </Form.Item>
          ) : null}
          <Button type="primary" htmlType="submit" block loading={busy}>
            登录
          </Button>
        </Form>
      </Card>
    </main>
  );
}
