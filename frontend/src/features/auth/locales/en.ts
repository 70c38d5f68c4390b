// English; typed as the Chinese file, so a missing or extra key fails the type check.
import type zhCN from './zh-CN'

const en: typeof zhCN = {
  login: {
    title: 'Log in',
    welcome: 'Welcome to Steward',
    phone: 'Mobile number',
    phonePlaceholder: 'Enter your mobile number',
    password: 'Password',
    passwordPlaceholder: 'Enter your password',
    submit: 'Log in',
    submitting: 'Logging in…',
    failed: 'Login failed',
    noAccount: 'No account yet?',
    toRegister: 'Register',
    demoTitle: 'Demo accounts',
    demoHint: "Tap one to fill in the form (all passwords are Steward{'@'}2026)",
    demoFill: 'Use demo account: {name}',
  },
  demo: {
    admin: 'Administrator',
    townStaff: 'Town staff',
    lishuiwanStaff: 'Lishuiwan committee',
    xinyuanStaff: 'Zhuanghang Xinyuan committee',
    lishuiwanVolunteer: 'Lishuiwan grid volunteer',
    lishuiwanResident: 'Lishuiwan resident',
    propertyPartner: 'Property company (partner)',
    xinyuanResident: 'Zhuanghang Xinyuan resident',
  },
  register: {
    title: 'Register',
    intro: 'Register with your mobile number. Once the committee has verified your address, every service is open to you.',
    phone: 'Mobile number',
    password: 'Choose a password',
    name: 'Name',
    namePlaceholder: 'Your real name',
    privacyAgree: 'I have read and agree to the',
    privacyLink: 'Steward privacy policy',
    privacyRequired: 'Please read and agree to the privacy policy first',
    submit: 'Register and log in',
    submitting: 'Registering…',
    failed: 'Registration did not succeed',
    haveAccount: 'Already registered?',
    toLogin: 'Log in',
  },
  forgot: {
    title: 'Reset password',
    intro: 'Enter the mobile number you registered with, get a code by text message and choose a new password. Every device signed in to your account is then signed out.',
    link: 'Forgot your password?',
    newPassword: 'New password',
    submit: 'Set the new password',
    submitting: 'Sending…',
    failed: 'The password was not changed',
    done: 'Your new password is set. Please log in with it',
  },
}

export default en
