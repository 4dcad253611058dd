/**
 * Passwords too common to allow (等保 2.0 身份鉴别 a: 口令具有复杂度要求): the most frequent entries of the public
 * breach lists (SecLists top lists, the CSDN and 12306 leaks), lower-cased. Any password whose lower-case form
 * is here, or is one of these followed by digits and punctuation only, is refused.
 */
export const commonPasswords: ReadonlySet<string> = new Set(
  `123456 123456789 12345678 password qwerty123 qwerty1 111111 12345 secret 123123 1234567890 1234567 000000
abc123 password1 iloveyou 1q2w3e4r 1q2w3e4r5t qwertyuiop 123321 654321 666666 888888 7777777 987654321
112233 121212 123654 5201314 woaini 520520 woaini1314 1314520 a123456 a123456789 aa123456 abc123456
abcd1234 admin admin123 admin888 administrator root toor qwer1234 qazwsx qazwsx123 1qaz2wsx 1qaz@wsx
zaq12wsx passw0rd p@ssw0rd p@ssword password123 password@123 welcome welcome1 welcome123 letmein monkey
dragon master sunshine princess football baseball shadow superman michael trustno1 hello123 changeme
test1234 test123 guest login qwerty qwe123 asdfgh asdf1234 zxcvbnm zxcvbn 1a2b3c4d a1b2c3d4 abcdef
abcdefg abcdefgh 11223344 147258369 159753 741852963 qweasd qweasdzxc asd123 wang123 zhang123 li123456
huawei123 huawei@123 admin@123 admin@1234 root@123 root123 system sysadmin gongkai gongkai123
gongkai@123 zhengwu zhengwu123 gov123456 p@55w0rd pa$$w0rd test@123 abc@123 abc@1234 aa123123
qq123456 q1w2e3r4 q1w2e3r4t5 1qazxsw2 2wsx3edc !qaz2wsx 1q2w3e 1qaz2wsx3edc Aa123456 Aa123456789
aa12345678 Aa111111 Abc123456 Abcd1234 Qwer1234 Admin123 Admin@123 Password1 Password123 P@ssw0rd
P@ssword1 Passw0rd Welcome1 Welcome123 Qwerty123 Huawei@123 Test@123 Test1234 Changeme123`
    .split(/\s+/)
    .filter(Boolean)
    .map((p) => p.toLowerCase()),
);
